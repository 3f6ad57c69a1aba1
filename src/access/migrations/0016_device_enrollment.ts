import type { SchemaMigration } from '../../db/index.ts';

/**
 * Tills as devices with a lifecycle (issue 17):
 * - `enrollment_codes`: one-time codes head office reads out to whoever installs a till. Only the
 *   sha256 of a code is kept; a code is tied to a store (and optionally a terminal id), expires, and
 *   is used once (`used_at`, `used_by_terminal`).
 * - `terminals.revoked_*`: a revoked till is refused on every call, with the reason, and keeps its row
 *   so its events still name it.
 * - `terminals.previous_token_hash`: during a token rotation the token the till had stays valid until
 *   the new one is first used, so a till that never received (or never saved) HQ's answer is not
 *   locked out.
 */
export const hq0016DeviceEnrollment: SchemaMigration = {
  id: '0016_device_enrollment',
  up: `
    CREATE TABLE enrollment_codes (
      code_hash text PRIMARY KEY,
      store_id text NOT NULL REFERENCES stores (id),
      terminal_id text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      used_by_terminal text
    );
    CREATE INDEX enrollment_codes_store ON enrollment_codes (store_id, created_at);

    ALTER TABLE terminals ADD COLUMN revoked_at timestamptz;
    ALTER TABLE terminals ADD COLUMN revoked_reason text;
    ALTER TABLE terminals ADD COLUMN revoked_by text;
    ALTER TABLE terminals ADD COLUMN previous_token_hash text UNIQUE;
    ALTER TABLE terminals ADD COLUMN token_rotated_at timestamptz;
  `,
  down: `
    ALTER TABLE terminals DROP COLUMN token_rotated_at;
    ALTER TABLE terminals DROP COLUMN previous_token_hash;
    ALTER TABLE terminals DROP COLUMN revoked_by;
    ALTER TABLE terminals DROP COLUMN revoked_reason;
    ALTER TABLE terminals DROP COLUMN revoked_at;
    DROP TABLE enrollment_codes;
  `,
};
