import { join } from 'node:path';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { createLogger } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { dataPath, parsePostgresUrl } from '../options.ts';

/** Where an HQ maintenance command finds HQ's database. */
export interface HqDbCli {
  data: string;
  db?: string;
}

export const hqDbOptions = (c: Command): Command =>
  c
    .option('--data <dir>', 'PGlite data folder of HQ (ignored with --db)', join('.tally', 'hq'))
    .option('--db <url>', 'PostgreSQL URL of HQ', parsePostgresUrl);

/**
 * Opens HQ's database for one command body and always closes it. `log` is the command's logger, or its
 * name for one that says errors only.
 */
export async function withHqDbCli<T>(
  o: HqDbCli,
  log: string | Logger,
  body: (db: HqDb) => Promise<T>,
): Promise<T> {
  const { openHqDb } = await import('../../db/index.ts');
  const { hqMigrations } = await import('../shared/hq-migrations.ts');
  const opened = await openHqDb({
    migrations: hqMigrations,
    url: o.db,
    dataDir: o.db ? undefined : dataPath(o.data),
    logger: typeof log === 'string' ? createLogger(log, 'error') : log,
  });
  try {
    return await body(opened.db);
  } finally {
    await opened.close();
  }
}

/** `"S1, S2"` → `["S1", "S2"]`. */
export const idList = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
