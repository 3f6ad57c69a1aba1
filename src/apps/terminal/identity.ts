import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { invalid } from '../../core/index.ts';

/**
 * Who this till is, kept in `<dataDir>/terminal.json` so a restart (or a reboot after a power cut)
 * needs no flags: { storeId, terminalId, token, hqUrl, hqCaFile? }. Values given at start replace the saved ones
 * and are saved again, which is also how a re-enrolled terminal picks up its new token.
 * The file holds the terminal's secret token, so it is written readable by its owner only.
 */
export const terminalIdentitySchema = z.object({
  storeId: z.string().min(1),
  terminalId: z.string().min(1),
  token: z.string().min(1),
  hqUrl: z.string().min(1),
  /** The CA certificate the till trusts for HQ (`--hq-ca`), when HQ serves TLS with a private CA. */
  hqCaFile: z.string().min(1).optional(),
});
export type TerminalIdentity = z.infer<typeof terminalIdentitySchema>;

export const identityFile = (dataDir: string): string => join(dataDir, 'terminal.json');

export function resolveIdentity(dataDir: string, given: Partial<TerminalIdentity>): TerminalIdentity {
  const file = identityFile(dataDir);
  let saved: Partial<TerminalIdentity> = {};
  if (existsSync(file)) {
    const parsed = terminalIdentitySchema.partial().safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw invalid('dataDir', `${file} is not a terminal identity file`);
    saved = parsed.data;
  }
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ''));
  const merged = { ...saved, ...defined };
  for (const key of ['storeId', 'terminalId', 'token', 'hqUrl'] as const) {
    if (!merged[key]) throw invalid(key, `not given and not saved in ${file}; enroll the terminal first`);
  }
  const identity = terminalIdentitySchema.parse(merged);
  if (JSON.stringify(identity) !== JSON.stringify({ ...saved })) writeIdentity(dataDir, identity);
  return identity;
}

/**
 * Write-then-rename, flushed to disk before and after the rename: a crash or power cut mid-write must
 * not leave a till that forgot who it is, and a rotated token HQ has handed out must be on disk before
 * the till first uses it (the first use retires the previous one at HQ).
 */
export function writeIdentity(dataDir: string, identity: TerminalIdentity): void {
  const file = identityFile(dataDir);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  fsync(tmp);
  renameSync(tmp, file);
  try {
    fsync(dirname(file));
  } catch {
    // Some platforms cannot open a folder to flush it; the rename itself is still atomic there.
  }
}

function fsync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The identity saved in the data folder (no flags merged), or a 400 saying the till is not enrolled. */
export function readIdentity(dataDir: string): TerminalIdentity {
  const file = identityFile(dataDir);
  if (!existsSync(file)) throw invalid('--data', `${dataDir} holds no terminal.json; enroll the till first`);
  return terminalIdentitySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
