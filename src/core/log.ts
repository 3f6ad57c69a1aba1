import pino, { type Logger } from 'pino';

/** Structured JSON logs; TALLY_LOG_LEVEL=debug for more, `silent` in tests. */
export function createLogger(name: string, level = process.env.TALLY_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level });
}

export type { Logger };
