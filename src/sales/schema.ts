import { customerMigration } from '../customers/schema.ts';
import type { Migration } from '../db/sqlite.ts';
import { cardAttemptsMigration } from '../payments/attempts.ts';

/**
 * The till's own database (ledger.db): the append-only ledger, the outbox's acknowledgement mark and
 * the open carts. They share one file because a sale must delete its cart and append its event in one
 * transaction. Append steps; never edit a released one.
 */
export const tillMigrations: readonly Migration[] = [
  `
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
  // A parked cart keeps its lines and refuses edits and payment until resumed; survives a restart.
  `
  ALTER TABLE carts ADD COLUMN parked_at TEXT;
  ALTER TABLE carts ADD COLUMN park_label TEXT;
  `,
  // Managers who approve overrides (scrypt hashes only); gift cards and store credit, whose balance
  // changes in the same transaction as the event that moves it and can never go below zero.
  `
  CREATE TABLE managers (
    manager_id  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    pin_hash    TEXT NOT NULL,
    salt        TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  CREATE TABLE stored_value (
    account_id     TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('gift_card', 'store_credit')),
    code_hash      TEXT NOT NULL UNIQUE,
    last4          TEXT NOT NULL,
    currency       TEXT NOT NULL,
    balance_minor  INTEGER NOT NULL CHECK (balance_minor >= 0),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  );
  ${customerMigration}
  `,
  // What this till redeemed from each card while HQ was unreachable, held against the offline limit
  // until HQ next answers for the card.
  `
  ALTER TABLE stored_value ADD COLUMN offline_spent_minor INTEGER NOT NULL DEFAULT 0;
  `,
  // HQ authorisations of sales that were not recorded, which HQ could not be told about at the time:
  // given back as soon as HQ answers again, so the customer's card does not stay debited.
  `
  CREATE TABLE stored_value_reversals (
    auth_id       TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    created_at    TEXT NOT NULL
  );
  `,
  // Card payments: each attempt is written before the reader is asked, so a till killed mid-payment
  // knows a charge may exist and voids it (or the retry reuses it) instead of charging twice.
  cardAttemptsMigration,
  // What HQ refused of this till's events, so the refusal outlives a restart: a conflict (HQ holds
  // another event under that seq) stops the outbox until an operator clears it; a quarantined event is
  // held by HQ and only shown. The rollback columns record HQ holding more than this ledger has.
  `
  CREATE TABLE sync_rejections (
    terminal_id    TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('quarantined', 'conflict')),
    reason         TEXT NOT NULL,
    first_seen_at  TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    cleared_at     TEXT,
    cleared_by     TEXT,
    PRIMARY KEY (terminal_id, event_id)
  );
  CREATE INDEX sync_rejections_open ON sync_rejections (terminal_id, kind, seq) WHERE cleared_at IS NULL;
  ALTER TABLE sync_state ADD COLUMN rollback_hq_seq INTEGER;
  ALTER TABLE sync_state ADD COLUMN rollback_till_seq INTEGER;
  ALTER TABLE sync_state ADD COLUMN rollback_detected_at TEXT;
  `,
  // Wrong manager PINs per manager id on this till, so a lockout survives a restart and locks only the
  // manager whose PIN was guessed.
  `
  CREATE TABLE pin_failures (
    manager_id    TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT
  );
  `,
];
