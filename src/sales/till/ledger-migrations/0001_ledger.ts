import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The till's own database (ledger.db) begins: the append-only ledger (read and written by
 * src/sync/ledger.ts), the outbox's acknowledgement mark, counters and the open carts. They share one
 * file because a sale must delete its cart and append its event in one transaction.
 *
 * Released (ledger.db step 1): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0001Ledger: SchemaMigration = {
  id: '0001_ledger',
  up: `
  CREATE TABLE ledger (
    seq            INTEGER NOT NULL,
    terminal_id    TEXT    NOT NULL,
    id             TEXT    NOT NULL UNIQUE,
    store_id       TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    business_date  TEXT    NOT NULL,
    occurred_at    TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    PRIMARY KEY (terminal_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX ledger_type ON ledger (type, seq);
  CREATE INDEX ledger_sale_id ON ledger (json_extract(payload, '$.saleId')) WHERE type = 'sale.completed';

  -- The ledger is evidence: once written, an event is never changed or removed, not even by a bug.
  CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
  CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

  CREATE TABLE sync_state (
    terminal_id   TEXT PRIMARY KEY,
    acked_up_to   INTEGER NOT NULL DEFAULT 0,
    last_sync_at  TEXT
  );

  CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );

  CREATE TABLE carts (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    body        TEXT NOT NULL
  );

  -- Remembers which sale closed a cart, so a till that retries "complete" gets the same sale back.
  CREATE TABLE cart_sales (
    cart_id  TEXT PRIMARY KEY,
    sale_id  TEXT NOT NULL
  );
  `,
};
