import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Summary, summarise } from './stats.ts';

/**
 * The floor for a durable sale: one row inserted and committed with WAL and synchronous=FULL,
 * the same settings as the till's ledger. A sale commit can only be judged against this.
 */
export function bareSqliteCommit(iterations: number, payloadBytes: number): Summary {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-sqlite-'));
  try {
    const db = new Database(join(dir, 'bare.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const commit = db.transaction((body: string) => insert.run(body));
    const body = 'x'.repeat(payloadBytes);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      commit(body);
      samples.push(performance.now() - t0);
    }
    db.close();
    return summarise(samples);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
