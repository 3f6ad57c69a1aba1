import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0007SyncRejections } from './0007_sync_rejections.ts';
import { ledger0009LedgerChain } from './0009_ledger_chain.ts';

/**
 * The ledger.db steps sync owns: HQ's refusals and a detected rollback (0007), the ledger's hash chain
 * (0009). The ledger table itself shipped in sales' 0001.
 */
export const syncLedgerMigrations: readonly SchemaMigration[] = [
  ledger0007SyncRejections,
  ledger0009LedgerChain,
];
