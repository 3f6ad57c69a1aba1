import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0011CustomerKeys } from './0011_customer_keys.ts';
import { ledger0015CustomerErasure } from './0015_customer_erasure.ts';
import { ledger0016CustomerSegments } from './0016_customer_segments.ts';

/**
 * The ledger.db steps of the till's customers: data keys, consents per purpose, card numbers (0011);
 * erased ids and the ledger's recorded redactions of plaintext registrations (0015); segments from HQ and
 * the customers' pull cursor (0016).
 */
export const customersLedgerMigrations: readonly SchemaMigration[] = [
  ledger0011CustomerKeys,
  ledger0015CustomerErasure,
  ledger0016CustomerSegments,
];
