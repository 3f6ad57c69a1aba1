import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What tills keep of a customer beyond their registration, and how they learn it changed. Each
 * customer's current segment (the newest scored run's RFM segment, written by the customer scores
 * through `publishCustomerSegments`; `since` is the as-of day of the run that put them there) is a row
 * here; a new row, a different segment or a deleted row takes a catalog version, as a consent change
 * on a profile does, so a till's pull sends only the customers changed after its cursor. An unchanged
 * segment writes nothing, so a nightly run costs the tills only the customers who moved.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0034CustomerTillState: SchemaMigration = {
  id: '0034_customer_till_state',
  up: `
    CREATE TABLE customer_segments (
      customer_id uuid PRIMARY KEY,
      segment text NOT NULL,
      since date NOT NULL
    );
    CREATE TRIGGER customer_segments_track AFTER INSERT OR DELETE ON customer_segments
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('customer_segment', 'customer_id');
    CREATE TRIGGER customer_segments_track_move AFTER UPDATE OF segment ON customer_segments
      FOR EACH ROW WHEN (OLD.segment IS DISTINCT FROM NEW.segment)
      EXECUTE FUNCTION catalog_track_change('customer_segment', 'customer_id');
    CREATE TRIGGER customer_profiles_track_consents AFTER UPDATE OF consents ON customer_profiles
      FOR EACH ROW WHEN (OLD.consents IS DISTINCT FROM NEW.consents)
      EXECUTE FUNCTION catalog_track_change('customer_consent', 'customer_id');
  `,
};
