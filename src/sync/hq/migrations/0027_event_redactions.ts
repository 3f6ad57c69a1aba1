import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Events whose stored payload was redacted in place, as a recorded exception to the log being
 * append-only: a customer erased while their customer.created still carried personal fields in clear
 * (schema version 1). The row says which event, when, why and which fields went. `content_hash` and the
 * chain hashes stay as they were (a till resending the original is still a duplicate, and the chain's
 * links still check); `tally hq verify-chains` checks a redacted event's links but not its content,
 * and counts it as redacted instead of reporting it altered.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0027EventRedactions: SchemaMigration = {
  id: '0027_event_redactions',
  up: `
    CREATE TABLE event_redactions (
      event_id uuid PRIMARY KEY,
      redacted_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      fields text[] NOT NULL
    );
  `,
};
