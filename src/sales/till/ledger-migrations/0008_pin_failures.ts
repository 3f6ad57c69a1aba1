import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Wrong manager PINs per manager id on this till, so a lockout survives a restart and locks only the
 * manager whose PIN was guessed (src/sales/approvals.ts).
 *
 * Released (ledger.db step 8): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0008PinFailures: SchemaMigration = {
  id: '0008_pin_failures',
  up: `
  CREATE TABLE pin_failures (
    manager_id    TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT
  );
  `,
};
