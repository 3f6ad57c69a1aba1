import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0011CustomerKeys } from './0011_customer_keys.ts';

/** The ledger.db steps of the till's customers: data keys, consents per purpose, card numbers (0011). */
export const customersLedgerMigrations: readonly SchemaMigration[] = [ledger0011CustomerKeys];
