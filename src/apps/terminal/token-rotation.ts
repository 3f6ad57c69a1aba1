import { API_BASE, type RotatedToken, rotatedTokenSchema } from '../../contracts/index.ts';
import { TallyError } from '../../core/index.ts';
import { revokedMessage } from '../../sync/till/index.ts';
import type { HqLine } from './hq-line.ts';
import { readIdentity, writeIdentity } from './identity.ts';

/**
 * A new token for this till, in an order that never locks it out: HQ hands out the new token and keeps
 * the current one valid; the till writes the new one to terminal.json (flushed) before it uses it; its
 * first use, the confirming call here, retires the old one at HQ. Interrupted anywhere, the till still
 * holds a token HQ accepts: the old one if the new one was never saved, else the new one. Events are
 * untouched: the outbox's mark is in ledger.db and the next batch simply goes with the new token.
 */
export async function rotateTillToken(
  dataDir: string,
  line: HqLine,
): Promise<RotatedToken & { confirmed: boolean }> {
  const identity = readIdentity(dataDir);
  const base = `${identity.hqUrl.replace(/\/$/, '')}${API_BASE}`;
  const res = await line
    .fetch(`${base}/terminal/token`, { method: 'POST', headers: { authorization: `Bearer ${line.token()}` } })
    .catch((err: unknown) => {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new TallyError(
        'unavailable',
        `cannot reach HQ at ${identity.hqUrl} (${cause ?? (err as Error).message}); the current token keeps working, try again later`,
      );
    });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    const revoked = revokedMessage(body);
    if (revoked) throw new TallyError('terminal_revoked', revoked, 'terminal');
    const message = (body as { message?: string } | undefined)?.message ?? res.statusText;
    throw new TallyError(
      res.status === 401 ? 'unauthorized' : 'unavailable',
      `HQ refused the token rotation (${res.status}: ${message}); the current token is unchanged`,
    );
  }
  const rotated = rotatedTokenSchema.parse(await res.json());
  writeIdentity(dataDir, { ...identity, token: rotated.token });
  line.adoptToken(rotated.token);
  const confirm = await line
    .fetch(`${base}/terminal/sync`, { headers: { authorization: `Bearer ${rotated.token}` } })
    .catch(() => undefined);
  // Unconfirmed is fine: the next call with the new token (the outbox's) retires the old one.
  return { ...rotated, confirmed: confirm?.ok === true };
}
