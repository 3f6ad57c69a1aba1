import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What this till redeemed from each card while HQ was unreachable, held against the offline limit
 * until HQ next answers for the card.
 *
 * Released (ledger.db step 4): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0004StoredValueOfflineSpent: SchemaMigration = {
  id: '0004_stored_value_offline_spent',
  up: `
  ALTER TABLE stored_value ADD COLUMN offline_spent_minor INTEGER NOT NULL DEFAULT 0;
  `,
};
