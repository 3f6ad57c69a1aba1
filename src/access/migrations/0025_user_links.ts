import type { SchemaMigration } from '../../db/index.ts';

/**
 * One-time set-password links (an invite for a new user, a reset for a known one): HQ has no mail, so a
 * manager passes the link on and the user chooses their own password. Only the token's sha256 is kept;
 * a link is used once and expires. `removed_at` marks a user taken out of the lists whose name stays
 * because the audit log or the event log names them.
 */
export const hq0025UserLinks: SchemaMigration = {
  id: '0025_user_links',
  up: `
    ALTER TABLE users ADD COLUMN removed_at timestamptz;
    CREATE TABLE user_password_links (
      token_hash text PRIMARY KEY,
      username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX user_password_links_user ON user_password_links (username);
  `,
  down: `
    DROP TABLE user_password_links;
    ALTER TABLE users DROP COLUMN removed_at;
  `,
};
