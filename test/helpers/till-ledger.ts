import { tillLedgerMigrations } from '../../src/apps/shared/till-ledger-migrations.ts';
import { type Clock, fixedClock } from '../../src/core/clock.ts';
import { openSqlite, type SqliteDb } from '../../src/db/sqlite.ts';
import { type Ledger, openLedger } from '../../src/sync/ledger.ts';

/**
 * A till's ledger.db at `file`, migrated as a till migrates it, and the ledger over it: what the
 * ledger, outbox, sync-mark and register tests write their events to. Store s1, terminal T1, UTC and
 * 2026-03-02 09:00 UTC unless told otherwise; opening the same file again is how a test restarts a till.
 */
export interface TestLedgerOptions {
  storeId?: string;
  terminalId?: string;
  clock?: Clock;
  timeZone?: string;
}

export function openTestLedger(file: string, opts: TestLedgerOptions = {}): { db: SqliteDb; ledger: Ledger } {
  const db = openSqlite(file, tillLedgerMigrations);
  const timeZone = opts.timeZone ?? 'UTC';
  const ledger = openLedger({
    db,
    storeId: opts.storeId ?? 's1',
    terminalId: opts.terminalId ?? 'T1',
    clock: opts.clock ?? fixedClock('2026-03-02T09:00:00Z'),
    timeZone: () => timeZone,
  });
  return { db, ledger };
}
