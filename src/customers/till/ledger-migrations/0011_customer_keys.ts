import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Each customer's data key (crypto-shredding, customers/pii-crypto.ts) kept at the till that made it
 * or fetched it, with when HQ acknowledged it; consents per purpose; the loyalty card number beside
 * phone and email. Mutable tables, not events: erasing a customer deletes the key and the row here.
 *
 * Released (ledger.db step 11): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0011CustomerKeys: SchemaMigration = {
  id: '0011_customer_keys',
  up: `
  CREATE TABLE customer_keys (
    customer_id  TEXT PRIMARY KEY,
    data_key     TEXT NOT NULL,
    sent_at      TEXT
  );
  CREATE TABLE customer_consents (
    customer_id  TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    granted      INTEGER NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (customer_id, purpose)
  );
  ALTER TABLE customers ADD COLUMN card_number TEXT;
  CREATE UNIQUE INDEX customers_card_number ON customers (card_number) WHERE card_number IS NOT NULL;
  `,
};
