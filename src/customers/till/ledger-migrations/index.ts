import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0011CustomerKeys } from './0011_customer_keys.ts';
import { ledger0015CustomerErasure } from './0015_customer_erasure.ts';

/**
 * The ledger.db steps of the till's customers: data keys, consents per purpose, card numbers (0011);
 * erased ids and the ledger's recorded redactions of plaintext registrations (0015).
 */
export const customersLedgerMigrations: readonly SchemaMigration[] = [
  ledger0011CustomerKeys,
  ledger0015CustomerErasure,
];
