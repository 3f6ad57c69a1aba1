import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Card payments: each attempt is written before the reader is asked, so a till killed mid-payment
 * knows a charge may exist and voids it (or the retry reuses it) instead of charging twice; and a
 * fast way to the open ones (src/payments/attempts.ts).
 *
 * Released (ledger.db step 6): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0006CardAttempts: SchemaMigration = {
  id: '0006_card_attempts',
  up: `
  CREATE TABLE card_attempts (
    attempt_id       TEXT PRIMARY KEY,
    cart_id          TEXT NOT NULL,
    tender_index     INTEGER NOT NULL,
    generation       INTEGER NOT NULL,
    amount_minor     INTEGER NOT NULL CHECK (amount_minor > 0),
    currency         TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL
                     CHECK (state IN ('pending', 'approved', 'captured', 'reversed', 'unknown', 'declined')),
    provider         TEXT NOT NULL,
    -- The processor's token, approval code, masked number and brand: never a card number.
    approval         TEXT,
    sale_id          TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (cart_id, tender_index, generation)
  );
  CREATE INDEX card_attempts_open ON card_attempts (cart_id, tender_index)
    WHERE state IN ('pending', 'approved', 'unknown');
`,
};
