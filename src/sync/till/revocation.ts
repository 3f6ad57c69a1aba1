/**
 * What a till knows of head office revoking it: HQ's words and when the till learnt them. Once
 * recorded, the outbox sends nothing more (every unsent event stays in the ledger) and its status says
 * so. The record lives where the composition root keeps it (a file in the till's data folder, bound to
 * the token HQ refused, so a till enrolled again starts clean); memory is the default.
 */
export interface TillRevocation {
  message: string;
  detectedAt: string;
}

export interface RevocationRecord {
  read(): TillRevocation | null;
  record(message: string, at: Date): void;
}

export function memoryRevocation(): RevocationRecord {
  let current: TillRevocation | null = null;
  return {
    read: () => current,
    record(message, at) {
      current = { message, detectedAt: at.toISOString() };
    },
  };
}

/** The error code HQ answers a revoked till's every call with (401). */
export const REVOKED_ERROR = 'terminal_revoked';

/** HQ's message when a 401 body says this till is revoked, else undefined. */
export function revokedMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  return error === REVOKED_ERROR && typeof message === 'string' ? message : undefined;
}
