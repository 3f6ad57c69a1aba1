import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Promotion limits at the till (sales/till/promotion-uses.ts):
 * - `promotion_offline_uses`: uses of each limited promotion this till gave while HQ was unreachable
 *   and HQ has not answered since, against the promotion's `limits.offlinePerTill`.
 * - `promotion_use_releases`: reservations whose sale was not recorded and that HQ could not be told
 *   about yet; given back at the next checkout that reaches HQ (HQ lets them expire meanwhile).
 *
 * Frozen once released (test/fixtures/migrations.sha256.json).
 */
export const ledger0012PromotionOfflineUses: SchemaMigration = {
  id: '0012_promotion_offline_uses',
  up: `
  CREATE TABLE promotion_offline_uses (
    promotion_id TEXT PRIMARY KEY,
    uses         INTEGER NOT NULL CHECK (uses >= 0),
    updated_at   TEXT NOT NULL
  );
  CREATE TABLE promotion_use_releases (
    use_id     TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  );
  `,
  down: `DROP TABLE promotion_use_releases; DROP TABLE promotion_offline_uses;`,
};
