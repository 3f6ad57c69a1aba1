import type { SchemaMigration } from '../../../db/index.ts';

/**
 * A parked cart keeps its lines and refuses edits and payment until resumed; survives a restart.
 *
 * Released (ledger.db step 2): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0002ParkedCarts: SchemaMigration = {
  id: '0002_parked_carts',
  up: `
  ALTER TABLE carts ADD COLUMN parked_at TEXT;
  ALTER TABLE carts ADD COLUMN park_label TEXT;
  `,
};
