import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * Tally's data folders hold secrets (terminal and admin tokens, the setup token) and personal data
 * (customers' names, phones and emails in the till's ledger, everything in HQ's database), so they
 * belong to the user running Tally alone: folders 0700, files 0600. A folder made by an older build,
 * copied from a backup or unpacked with a loose umask is tightened at start, with a warning saying
 * what was fixed. (On Windows modes mean nothing and are left alone.)
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const posix = process.platform !== 'win32';
const loose = (mode: number): boolean => (mode & 0o077) !== 0;

/**
 * Creates `dir` owner-only, or tightens it and what it holds: every file and folder under it (`'all'`,
 * for a folder only Tally writes, such as PGlite's), or only the named entries (for a folder a person
 * may have chosen, such as a till's, where Tally must not touch what is not its own). Returns the
 * paths it tightened.
 */
export function makePrivate(
  dir: string,
  logger: Logger | undefined,
  within: 'all' | readonly string[],
): string[] {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!posix) return [];
  const fixed: string[] = [];
  const tighten = (path: string, st: Stats): void => {
    if (!loose(st.mode)) return;
    chmodSync(path, st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE);
    fixed.push(path);
  };
  // lstat: a symbolic link inside is not followed out of the folder.
  const walk = (path: string): void => {
    const st = lstatSync(path);
    if (st.isDirectory()) {
      tighten(path, st);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (st.isFile()) tighten(path, st);
  };
  const exposed = loose(statSync(dir).mode);
  tighten(dir, statSync(dir));
  if (within === 'all') for (const name of readdirSync(dir)) walk(join(dir, name));
  else
    for (const name of within) {
      const path = join(dir, name);
      if (existsSync(path)) walk(path);
    }
  // Loose files inside an owner-only folder were never reachable (PGlite writes its files 0666):
  // tightened all the same, but only an open folder is worth a warning.
  if (exposed)
    logger?.warn(
      { dir, tightened: fixed.length, examples: fixed.slice(0, 5) },
      'data folder was readable by other users; made it owner-only (folders 0700, files 0600)',
    );
  else if (fixed.length > 0) logger?.debug({ dir, tightened: fixed.length }, 'data files made owner-only');
  return fixed;
}

/**
 * Creates an empty owner-only file unless it exists, so a database opened on it next (SQLite copies
 * the database file's mode to its -wal and -shm files) is private from its first byte.
 */
export function touchPrivate(file: string): void {
  if (existsSync(file)) return;
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** Writes a secret, owner-only even when the file was there before with looser modes. */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: PRIVATE_FILE_MODE });
  if (posix) chmodSync(file, PRIVATE_FILE_MODE);
}
