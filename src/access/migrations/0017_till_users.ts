import type { SchemaMigration } from '../../db/index.ts';

/**
 * A user's till sign-in: a short numeric code, unique in the chain (what they type at a till, like an
 * employee number), and the scrypt hash of their 4–8 digit PIN (src/access/pin-hash.ts). Kept apart
 * from `users` so a dashboard-only user has none. Every change to a user, their grants, a role's
 * permissions, a district's stores or their till sign-in takes a number from the catalog cursor
 * (entities `till_user`, `till_role`, `till_user_district`), so a till learns of a new PIN, a
 * deactivation, a lost grant or a narrowed role with its next catalog pull.
 *
 * Frozen once released (test/fixtures/migrations.sha256.json).
 */
export const hq0017TillUsers: SchemaMigration = {
  id: '0017_till_users',
  up: `
    CREATE TABLE till_credentials (
      username text PRIMARY KEY REFERENCES users (username) ON DELETE CASCADE,
      till_code text NOT NULL UNIQUE CHECK (till_code ~ '^[0-9]{3,8}$'),
      pin_hash text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TRIGGER users_track_till_user AFTER INSERT OR UPDATE OR DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('till_user', 'username');
    CREATE TRIGGER user_grants_track_till_user AFTER INSERT OR UPDATE OR DELETE ON user_grants
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('till_user', 'username');
    CREATE TRIGGER role_permissions_track_till_user AFTER INSERT OR UPDATE OR DELETE ON role_permissions
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('till_role', 'role_id');
    CREATE TRIGGER till_credentials_track_till_user AFTER INSERT OR UPDATE OR DELETE ON till_credentials
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('till_user', 'username');
    CREATE TRIGGER district_stores_track_till_user AFTER INSERT OR UPDATE OR DELETE ON district_stores
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('till_user_district', 'district_id');
  `,
  down: `
    DROP TRIGGER district_stores_track_till_user ON district_stores;
    DROP TRIGGER till_credentials_track_till_user ON till_credentials;
    DROP TRIGGER role_permissions_track_till_user ON role_permissions;
    DROP TRIGGER user_grants_track_till_user ON user_grants;
    DROP TRIGGER users_track_till_user ON users;
    DROP TABLE till_credentials;
  `,
};
