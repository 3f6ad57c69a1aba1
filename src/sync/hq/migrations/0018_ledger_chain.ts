import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The tills' hash chains as HQ holds them (src/sync/ledger-chain.ts): each till event's prevHash and
 * hash, in the log and in quarantine alike (both count as held), so ingest can check a new event
 * against its neighbours at seq - 1 and seq + 1 whichever arrived first, and `verifyHqChains` can walk
 * a terminal's chain again. NULL for events of older tills and for HQ's own events, which are not
 * chained. The (terminal_id, seq) keys both tables already have serve the lookups.
 *
 * Released once merged: then this text is frozen (test/fixtures/migrations.sha256.json); change the
 * schema with a new migration.
 */
export const hq0018LedgerChain: SchemaMigration = {
  id: '0018_ledger_chain',
  up: `
    ALTER TABLE events ADD COLUMN chain_prev_hash text, ADD COLUMN chain_hash text;
    ALTER TABLE sync_quarantine ADD COLUMN chain_prev_hash text, ADD COLUMN chain_hash text;
  `,
  down: `
    ALTER TABLE sync_quarantine DROP COLUMN chain_prev_hash, DROP COLUMN chain_hash;
    ALTER TABLE events DROP COLUMN chain_prev_hash, DROP COLUMN chain_hash;
  `,
};
