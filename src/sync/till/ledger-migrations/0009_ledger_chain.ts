import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The ledger's hash chain (src/sync/ledger-chain.ts): each event's prevHash and hash, written in its
 * append transaction. Events already in the ledger keep NULL in both (the ledger refuses UPDATE, and a
 * hash written now would prove nothing about then): the chain starts at the first event appended after
 * this step, whose prevHash is the genesis value for its seq.
 *
 * Released once merged (ledger.db step 9): then this text is frozen
 * (test/fixtures/migrations.sha256.json); change the schema with a new migration.
 */
export const ledger0009LedgerChain: SchemaMigration = {
  id: '0009_ledger_chain',
  up: `
  ALTER TABLE ledger ADD COLUMN chain_prev_hash TEXT;
  ALTER TABLE ledger ADD COLUMN chain_hash TEXT;
  `,
};
