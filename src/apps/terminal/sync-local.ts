import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { invalid, systemClock } from '../../core/index.ts';
import { openSqlite } from '../../db/index.ts';
import { openLedger } from '../../sync/index.ts';
import type { SyncStatus } from '../../sync/till/index.ts';
import { createOutbox, tillSyncState } from '../../sync/till/index.ts';
import { tillLedgerMigrations } from '../shared/till-ledger-migrations.ts';
import { identityFile, terminalIdentitySchema } from './identity.ts';
import { revocationFile } from './revocation-file.ts';

/**
 * `tally terminal sync-status` on the till's own machine, running or not: reads the sync state from
 * ledger.db (a second SQLite connection is fine in WAL mode) and, with --retry, records an operator's
 * decision to ask HQ again. Clearing never moves the mark: events HQ does not hold are sent again, and
 * if HQ still refuses them the till stops again.
 */
function withTill<T>(dataDir: string, fn: (ledger: ReturnType<typeof openLedger>, token: string) => T): T {
  const ledgerFile = join(dataDir, 'ledger.db');
  if (!existsSync(ledgerFile) || !existsSync(identityFile(dataDir)))
    throw invalid(
      '--data',
      `${dataDir} holds no till (no ledger.db or terminal.json); give the till's --data`,
    );
  const identity = terminalIdentitySchema.parse(JSON.parse(readFileSync(identityFile(dataDir), 'utf8')));
  const db = openSqlite(ledgerFile, tillLedgerMigrations);
  try {
    return fn(
      openLedger({
        db,
        storeId: identity.storeId,
        terminalId: identity.terminalId,
        clock: systemClock,
        timeZone: () => 'UTC',
      }),
      identity.token,
    );
  } finally {
    db.close();
  }
}

export function readLocalSyncStatus(dataDir: string): SyncStatus {
  return withTill(dataDir, (ledger, token) =>
    // Never started, so it sends nothing: only its status reader is used.
    createOutbox({
      ledger,
      hqUrl: 'http://127.0.0.1',
      token: '-',
      logger: pino({ level: 'silent' }),
      revocation: revocationFile(dataDir, () => token),
    }).status(),
  );
}

/** Clears open conflicts and the rollback notice; the running till tries HQ again on its next poll. */
export function retryLocalSync(dataDir: string, by: string): { conflicts: number; rollback: boolean } {
  if (by.trim() === '') throw invalid('--by', 'name who decided to retry (it is kept with the conflict)');
  return withTill(dataDir, (ledger) =>
    tillSyncState(ledger.db, ledger.terminalId, () => new Date()).clear(by.trim()),
  );
}

/** The status as lines for a person at the till's console. */
export function formatSyncStatus(s: SyncStatus): string {
  const lines = [
    `state: ${s.state}`,
    `last seq ${s.lastSeq}, HQ holds up to ${s.ackedUpTo}, ${s.pending} unsent (oldest ${Math.round(s.oldestAgeSeconds)} s)`,
    `last sync: ${s.lastSyncAt ?? 'never'}`,
  ];
  for (const c of s.conflicts) lines.push(`conflict at seq ${c.seq} (event ${c.eventId}): ${c.reason}`);
  if (s.quarantined.count > 0) {
    lines.push(`${s.quarantined.count} event(s) quarantined at HQ (held there, listed for head office):`);
    for (const q of s.quarantined.recent) lines.push(`  seq ${q.seq} (event ${q.eventId}): ${q.reason}`);
  }
  if (s.action) lines.push('', s.action);
  return lines.join('\n');
}
