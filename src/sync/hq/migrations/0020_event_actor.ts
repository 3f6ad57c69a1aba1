import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Who did each till event and who approved it (the envelope's `actor` and `approver`, the users signed
 * in at the till), kept in the log beside the event so HQ can answer "who did this" without opening
 * payloads, and so a stored event gives back the envelope its till chained (ledger-chain.ts). NULL for
 * older tills and HQ's own events.
 *
 * Frozen once released (test/fixtures/migrations.sha256.json).
 */
export const hq0020EventActor: SchemaMigration = {
  id: '0020_event_actor',
  up: `
    ALTER TABLE events ADD COLUMN actor text, ADD COLUMN approver text;
    CREATE INDEX events_actor ON events (actor) WHERE actor IS NOT NULL;
  `,
  down: `
    DROP INDEX events_actor;
    ALTER TABLE events DROP COLUMN actor, DROP COLUMN approver;
  `,
};
