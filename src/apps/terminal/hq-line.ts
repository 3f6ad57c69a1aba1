import { statSync } from 'node:fs';
import { identityFile, readIdentity } from './identity.ts';
import { pinnedFetch } from './pinned-fetch.ts';

/**
 * The till's one line to HQ: every call the outbox, the catalog pull and the gift card client make
 * goes through this `fetch`, which carries the till's current token (whatever token the caller put
 * in its Authorization header is replaced) and, with `--hq-ca`, trusts only that CA. The token is the
 * one in terminal.json, read again whenever the file changes, so a token rotated by
 * `tally terminal rotate-token` in another process is used at once by the running till.
 */
export interface HqLine {
  fetch: typeof fetch;
  token(): string;
  /** After a rotation saved the new token to terminal.json. */
  adoptToken(token: string): void;
}

export function hqLine(opts: {
  dataDir: string;
  token: string;
  /** The CA certificate (PEM) to trust for HQ; the system's CAs when absent. */
  ca?: string | Buffer;
  /** Tests' stand-in for HQ; wins over `ca`. */
  fetch?: typeof fetch;
}): HqLine {
  const base = opts.fetch ?? (opts.ca !== undefined ? pinnedFetch(opts.ca) : fetch);
  const file = identityFile(opts.dataDir);
  let token = opts.token;
  let seenMtime = mtime(file);

  const current = (): string => {
    const m = mtime(file);
    if (m !== seenMtime) {
      seenMtime = m;
      try {
        token = readIdentity(opts.dataDir).token;
      } catch {
        // Mid-replace or hand-edited badly: keep the token in use rather than drop the line.
      }
    }
    return token;
  };

  const send = ((input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    if (headers.authorization !== undefined) headers.authorization = `Bearer ${current()}`;
    return base(input, { ...init, headers });
  }) as typeof fetch;

  return {
    fetch: send,
    token: current,
    adoptToken(t) {
      token = t;
      seenMtime = mtime(file);
    },
  };
}

function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
