import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { invalid, systemClock } from '../../core/index.ts';
import { openSqlite } from '../../db/index.ts';
import { createApprovals, type Manager } from '../../sales/till/index.ts';
import { tillLedgerMigrations } from '../shared/till-ledger-migrations.ts';

/**
 * A till's managers edited on the till's own machine (`tally terminal managers`), stored exactly as the
 * register API stores them: in ledger.db, each PIN as a salted scrypt hash (sales/approvals.ts). Access
 * to the data folder is the authority, as with the setup token that admits the first manager over HTTP;
 * a running till sees the new row on its next approval (SQLite in WAL mode takes a second connection).
 */
function withApprovals<T>(dataDir: string, logger: Logger, fn: (a: ReturnType<typeof createApprovals>) => T) {
  const file = join(dataDir, 'ledger.db');
  if (!existsSync(file))
    throw invalid('--data', `${dataDir} holds no till (no ledger.db); start the till there once first`);
  const db = openSqlite(file, tillLedgerMigrations);
  try {
    // Lockout settings only matter to PIN checks, which nothing here makes.
    return fn(createApprovals({ db, clock: systemClock, logger, attempts: 1, lockoutSeconds: 0 }));
  } finally {
    db.close();
  }
}

/** M1, M2, …: the first of that form no manager has. */
export function nextManagerId(managers: readonly Manager[]): string {
  const taken = new Set(managers.map((m) => m.managerId));
  let n = 1;
  while (taken.has(`M${n}`)) n++;
  return `M${n}`;
}

export function addLocalManager(
  dataDir: string,
  input: { managerId?: string; name: string; pin: string },
  logger: Logger,
): Manager {
  if (input.name.trim() === '') throw invalid('--name', 'is required');
  return withApprovals(dataDir, logger, (a) => {
    const managerId = input.managerId ?? nextManagerId(a.managers());
    const m = a.addManager({ managerId, name: input.name.trim(), pin: input.pin });
    logger.info({ managerId: m.managerId }, 'manager added from the command line');
    return m;
  });
}

/** The till's managers, never their PINs or hashes. */
export function listLocalManagers(dataDir: string, logger: Logger): Manager[] {
  return withApprovals(dataDir, logger, (a) => a.managers());
}

/** Removes a manager as the register API does (the last one is kept, so approvals stay possible). */
export function removeLocalManager(dataDir: string, managerId: string, logger: Logger): void {
  withApprovals(dataDir, logger, (a) => a.removeManager(managerId));
}
