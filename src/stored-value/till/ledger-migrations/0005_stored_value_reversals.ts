import type { SchemaMigration } from '../../../db/index.ts';

/**
 * HQ authorisations of sales that were not recorded, which HQ could not be told about at the time:
 * given back as soon as HQ answers again, so the customer's card does not stay debited.
 *
 * Released (ledger.db step 5): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0005StoredValueReversals: SchemaMigration = {
  id: '0005_stored_value_reversals',
  up: `
  CREATE TABLE stored_value_reversals (
    auth_id       TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    created_at    TEXT NOT NULL
  );
  `,
};
