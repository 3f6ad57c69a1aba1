import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
      throw new TallyError(
        'conflict',
        `the data folder ${dir} is in use by process ${holder}; stop it first (or run HQ on PostgreSQL with --db)`,
        'data',
      );
    }
    if (holder === process.pid)
      throw new TallyError('conflict', `the data folder ${dir} is already open`, 'data');
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
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
