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
 * The level the user asked for (`--log-level`, else TALLY_LOG_LEVEL), set once by the CLI before a
 * command runs. Process-wide because one process runs one command, and every logger a command makes
 * (some pass their own quiet level) must obey it.
 */
let askedLevel: string | undefined;
export function setLogLevel(level: string | undefined): void {
  askedLevel = level;
}

/** On a terminal, people read: short coloured lines. Elsewhere, machines read: JSON lines. */
const onTerminal = (): boolean => process.stderr.isTTY === true;

function terminalStream(): DestinationStream {
  // pino-pretty by name, in pino's worker: an import would pull it into the screens' bundles (core is shared).
  return onTerminal()
    ? pino.transport({
        target: 'pino-pretty',
        options: { destination: 2, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' },
      })
    : pino.destination({ dest: 2, sync: true });
}

/**
 * Logs to standard error, so a command's output on standard out stays clean. On a terminal they are
 * pretty and quiet (warn and worse); piped or under a supervisor they are JSON at `level` (info unless
 * the command asks for quieter). The level the user asked for wins over both. Tests pass a
 * `destination` (and usually `silent`).
 */
export function createLogger(name: string, level?: string, destination?: DestinationStream): Logger {
  if (destination) return pino({ name, level: level ?? 'info', redact }, destination);
  const chosen = askedLevel ?? (onTerminal() ? quieter(level ?? 'info', 'warn') : (level ?? 'info'));
  return pino({ name, level: chosen, redact }, terminalStream());
}

/**
 * For the demo: everything from `fileLevel` up goes to `file` as JSON (HQ's and the till's requests),
 * and only what needs a person (warn and worse, or the level asked for) to the terminal, so the
 * banner stands alone.
 */
export function createFileLogger(name: string, file: string, fileLevel = 'info'): Logger {
  const toTerminal = askedLevel ?? 'warn';
  const rank = (l: string) => pino.levels.values[l] ?? Number.POSITIVE_INFINITY;
  const level = rank(toTerminal) < rank(fileLevel) ? toTerminal : fileLevel;
  const streams = pino.multistream([
    { level: fileLevel as pino.Level, stream: pino.destination({ dest: file, mkdir: true, sync: true }) },
    ...(toTerminal === 'silent' ? [] : [{ level: toTerminal as pino.Level, stream: terminalStream() }]),
  ]);
  return pino({ name, level, redact }, streams);
}

/** The quieter of two pino levels ('silent' is the quietest). */
function quieter(a: string, b: string): string {
  const rank = (l: string) => pino.levels.values[l] ?? Number.POSITIVE_INFINITY;
  return rank(a) >= rank(b) ? a : b;
}

export type { Logger };
