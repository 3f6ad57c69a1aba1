import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TallyError } from '../core/index.ts';

/**
 * PGlite's files belong to one process: a second one opening them (a `tally seed` beside a running
 * `tally hq`) corrupts the database. A pid file claims the folder; a claim left by a killed process
 * is taken over, since that process can no longer write.
 */
export function lockDataFolder(dir: string): () => void {
  const file = join(dir, 'tally.pid');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holder !== process.pid && isAlive(holder)) {
      const url = folderHolder(dir)?.url;
      throw new TallyError(
        'conflict',
        url
          ? `the data folder ${dir} is in use by HQ (process ${holder}) serving ${url}: go through its API (--hq ${url} --token <admin or user token>) where the command offers it, or stop HQ first`
          : `the data folder ${dir} is in use by process ${holder}; stop it first (or run HQ on PostgreSQL with --db)`,
        'data',
      );
    }
    if (holder === process.pid)
      throw new TallyError('conflict', `the data folder ${dir} is already open`, 'data');
    writeFileSync(file, String(process.pid));
    rmSync(join(dir, URL_FILE), { force: true });
  }
  return () => {
    rmSync(join(dir, URL_FILE), { force: true });
    rmSync(file, { force: true });
  };
}

const URL_FILE = 'tally.url';

/** The holder says where it serves (HQ after it listens), so a CLI can go through its API instead. */
export function recordFolderUrl(dir: string, url: string): void {
  writeFileSync(join(dir, URL_FILE), url);
}

/** The live process holding the folder, and the URL it serves when it recorded one. */
export function folderHolder(dir: string): { pid: number; url: string | undefined } | undefined {
  const file = join(dir, 'tally.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (pid === process.pid || !isAlive(pid)) return undefined;
  const urlFile = join(dir, URL_FILE);
  const url = existsSync(urlFile) ? readFileSync(urlFile, 'utf8').trim() || undefined : undefined;
  return { pid, url };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
