/**
 * Errors that carry what a caller needs to react: a stable code, the field at fault and an HTTP status.
 * The HTTP layers map them one-to-one, so the message a cashier sees is the one written here.
 */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payment_declined'
  | 'unavailable'
  | 'too_large'
  | 'busy'
  | 'terminal_revoked';

const statusByCode: Record<ErrorCode, number> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  payment_declined: 402,
  unavailable: 503,
  too_large: 413,
  busy: 429,
  // A till's token is refused like any bad credential; the code tells the till to stop and say why.
  terminal_revoked: 401,
};

export class TallyError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly status: number;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'TallyError';
    this.code = code;
    this.field = field;
    this.status = statusByCode[code];
  }

  toJSON(): { error: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, field: this.field };
  }
}

export const invalid = (field: string, message: string): TallyError =>
  new TallyError('validation', `${field}: ${message}`, field);

export const notFound = (what: string, field?: string): TallyError =>
  new TallyError('not_found', `${what} not found`, field);

export const conflict = (message: string, field?: string): TallyError =>
  new TallyError('conflict', message, field);

export const unauthorized = (message = 'missing or invalid token'): TallyError =>
  new TallyError('unauthorized', message);

export const isTallyError = (e: unknown): e is TallyError => e instanceof TallyError;
