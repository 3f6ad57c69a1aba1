import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The people who may act at this store's tills, as HQ sent them with the catalog: code, name, till
 * permissions (JSON), PIN hash and active flag. Replaced whole whenever HQ sends the list, so sign-in
 * works offline with what HQ last said.
 *
 * Frozen once released (test/fixtures/migrations.sha256.json).
 */
export const catalog0004TillUsers: SchemaMigration = {
  id: '0004_till_users',
  up: `
  CREATE TABLE catalog_till_users (
    user_id      TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    pin_hash     TEXT NOT NULL,
    active       INTEGER NOT NULL
  )`,
};
