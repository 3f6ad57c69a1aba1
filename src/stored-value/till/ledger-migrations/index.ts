import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0004StoredValueOfflineSpent } from './0004_stored_value_offline_spent.ts';
import { ledger0005StoredValueReversals } from './0005_stored_value_reversals.ts';

/** The ledger.db steps of the till's gift card accounts: offline spending (0004) and pending reversals (0005). */
export const storedValueLedgerMigrations: readonly SchemaMigration[] = [
  ledger0004StoredValueOfflineSpent,
  ledger0005StoredValueReversals,
];
