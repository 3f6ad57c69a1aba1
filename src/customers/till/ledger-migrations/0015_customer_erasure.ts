import type { SchemaMigration } from '../../../db/index.ts';

/**
 * An erasure reaching the till (ledger.db step 15). `erased_customers` keeps the ids HQ said were erased,
 * so nothing brings them back here: a lookup answered after the erasure, a reprint of their sale. And the
 * ledger gets its one exception, as HQ's log did (HQ migration 0027): a customer.created written before
 * personal fields were sealed (schema version 1) may have those fields removed from its payload, only
 * once the removal is recorded in `ledger_redactions`, and nothing else of the row may change. The
 * chain hashes stay as written, so verify-ledger checks a redacted event's links, not its content, and
 * counts it as redacted. Removing rows stays refused.
 *
 * Released once merged (ledger.db step 15): then this text is frozen
 * (test/fixtures/migrations.sha256.json); change the schema with a new migration.
 */
export const ledger0015CustomerErasure: SchemaMigration = {
  id: '0015_customer_erasure',
  up: `
  CREATE TABLE erased_customers (
    customer_id  TEXT PRIMARY KEY,
    erased_at    TEXT NOT NULL
  );
  CREATE TABLE ledger_redactions (
    event_id     TEXT PRIMARY KEY,
    redacted_at  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    fields       TEXT NOT NULL
  );
  DROP TRIGGER ledger_no_update;
  CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
    WHEN NOT (
      EXISTS (SELECT 1 FROM ledger_redactions r WHERE r.event_id = OLD.id)
      AND NEW.id = OLD.id AND NEW.seq = OLD.seq AND NEW.terminal_id = OLD.terminal_id
      AND NEW.store_id = OLD.store_id AND NEW.type = OLD.type AND NEW.schema_version = OLD.schema_version
      AND NEW.business_date = OLD.business_date AND NEW.occurred_at = OLD.occurred_at
      AND NEW.chain_prev_hash IS OLD.chain_prev_hash AND NEW.chain_hash IS OLD.chain_hash
      AND NEW.actor IS OLD.actor AND NEW.approver IS OLD.approver
    )
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
  `,
};
