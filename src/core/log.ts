import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Where a secret could sit in a log record: request headers (bearer tokens, the manager PIN, the
 * setup token, cookies) and any field named like a token, PIN or password at the top level or one
 * level down. pino replaces them with "[redacted]", so a log shared for support holds no secret.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-manager-pin"]',
  'req.headers["x-setup-token"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-manager-pin"]',
  'headers["x-setup-token"]',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  'adminToken',
  '*.adminToken',
  'setupToken',
  '*.setupToken',
  'pin',
  '*.pin',
  'managerPin',
  '*.managerPin',
  'password',
  '*.password',
];
export const redact = { paths: REDACT_PATHS, censor: '[redacted]' };

/**
 * Structured JSON logs. The commands pass the level configured by TALLY_LOG_LEVEL (src/apps/config.ts);
 * tests pass `silent`.
 */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  return destination ? pino({ name, level, redact }, destination) : pino({ name, level, redact });
}

export type { Logger };
