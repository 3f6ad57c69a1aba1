import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Promotions keep every version: the row in `promotions` stays the one in force (what tills pull, by
 * its catalog version, unchanged), and each insert or update of it also lands in `promotion_versions`
 * with who changed it (the transaction's `tally.actor` setting) and when. A trigger, so no write path
 * can skip it. Promotions published before this migration start their history with their current row.
 */
export const hq0019PromotionVersions: SchemaMigration = {
  id: '0019_promotion_versions',
  up: `
    CREATE TABLE promotion_versions (
      promotion_id text NOT NULL,
      version bigint NOT NULL,
      definition jsonb NOT NULL,
      active boolean NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      changed_by text NOT NULL,
      PRIMARY KEY (promotion_id, version)
    );
    INSERT INTO promotion_versions (promotion_id, version, definition, active, changed_at, changed_by)
      SELECT id, version, definition, active, updated_at, 'unknown (before version history)' FROM promotions;

    CREATE FUNCTION promotions_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO promotion_versions (promotion_id, version, definition, active, changed_at, changed_by)
      VALUES (NEW.id, NEW.version, NEW.definition, NEW.active, now(),
              coalesce(nullif(current_setting('tally.actor', true), ''), 'unknown'));
      RETURN NULL;
    END $$;
    CREATE TRIGGER promotions_keep_version AFTER INSERT OR UPDATE ON promotions
      FOR EACH ROW EXECUTE FUNCTION promotions_keep_version();
  `,
  down: `
    DROP TRIGGER promotions_keep_version ON promotions;
    DROP FUNCTION promotions_keep_version;
    DROP TABLE promotion_versions;
  `,
};
