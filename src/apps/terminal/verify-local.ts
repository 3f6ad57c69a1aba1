import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalid } from '../../core/index.ts';
import { openSqlite } from '../../db/index.ts';
import { type LedgerVerification, verifyLedger } from '../../sync/till/index.ts';
import { tillLedgerMigrations } from '../shared/till-ledger-migrations.ts';
import { identityFile, terminalIdentitySchema } from './identity.ts';

/**
 * `tally terminal verify-ledger` on the till's own machine, running or not: walks ledger.db's hash
 * chain for this till's terminal (a second SQLite connection is fine in WAL mode).
 */
export function verifyLocalLedger(dataDir: string): LedgerVerification {
  const ledgerFile = join(dataDir, 'ledger.db');
  if (!existsSync(ledgerFile) || !existsSync(identityFile(dataDir)))
    throw invalid(
      '--data',
      `${dataDir} holds no till (no ledger.db or terminal.json); give the till's --data`,
    );
  const identity = terminalIdentitySchema.parse(JSON.parse(readFileSync(identityFile(dataDir), 'utf8')));
  const db = openSqlite(ledgerFile, tillLedgerMigrations);
  try {
    return verifyLedger(db, identity.terminalId);
  } finally {
    db.close();
  }
}

/** The verdict as lines for a person at the till's console. */
export function formatLedgerVerification(v: LedgerVerification): string {
  const chain =
    v.chainStartsAt === undefined
      ? 'no event is chained yet'
      : v.chainStartsAt === 1
        ? 'chained from seq 1'
        : `chained from seq ${v.chainStartsAt} (earlier events were written before the chain and are not covered)`;
  const redacted =
    v.redacted > 0 ? `, ${v.redacted} redacted in place (erased customers; links checked, content not)` : '';
  const head = `terminal ${v.terminalId}: ${v.events} event(s) read, last seq ${v.lastSeq}, ${chain}${redacted}`;
  if (!v.firstBreak) return `${head}\nledger intact`;
  const b = v.firstBreak;
  return `${head}\nLEDGER TAMPERED: ${b.kind} at seq ${b.seq}: ${b.message}`;
}
