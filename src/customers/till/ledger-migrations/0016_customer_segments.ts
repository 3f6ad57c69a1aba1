import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Each cached customer's segment as HQ last sent it (the RFM segment name, for promotions that target
 * it, online or offline), and the cursor of the customers' part of the catalog pull: HQ sends only the
 * store's customers whose segment or consents changed after it.
 *
 * Released (ledger.db step 16): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0016CustomerSegments: SchemaMigration = {
  id: '0016_customer_segments',
  up: `
  ALTER TABLE customers ADD COLUMN segment TEXT;
  CREATE TABLE customer_pull (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    cursor  TEXT NOT NULL,
    at      TEXT NOT NULL
  );
  `,
};
