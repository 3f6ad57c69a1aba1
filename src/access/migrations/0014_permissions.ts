import type { SchemaMigration } from '../../db/index.ts';

/**
 * Permissions as data: roles (the defaults of contracts/permissions.ts, editable from here on), the
 * permissions each role holds, and grants of a role to a user over one store, one district or the chain
 * (scope_id '' for the chain). Each existing user's fixed role and stores become grants (LEGACY_ROLES:
 * associate → cashier, admin → hq_admin over the chain, a district manager over their district and any
 * stores of their own), and the old columns go, so a user's reach is said in one place only.
 *
 * Frozen once released (test/fixtures/migrations.sha256.json); change the schema with a new migration.
 */
export const hq0014Permissions: SchemaMigration = {
  id: '0014_permissions',
  up: `
    CREATE TABLE roles (
      id text PRIMARY KEY,
      name text NOT NULL
    );
    CREATE TABLE role_permissions (
      role_id text NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
      permission text NOT NULL,
      PRIMARY KEY (role_id, permission)
    );
    CREATE TABLE user_grants (
      username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
      -- No cascade: a role still granted cannot be deleted.
      role_id text NOT NULL REFERENCES roles (id),
      scope_kind text NOT NULL CHECK (scope_kind IN ('store', 'district', 'chain')),
      scope_id text NOT NULL DEFAULT '',
      CHECK ((scope_kind = 'chain') = (scope_id = '')),
      PRIMARY KEY (username, role_id, scope_kind, scope_id)
    );
    CREATE INDEX user_grants_role ON user_grants (role_id);

    INSERT INTO roles (id, name) VALUES
      ('cashier', 'Cashier'),
      ('shift_lead', 'Shift lead'),
      ('store_manager', 'Store manager'),
      ('inventory_clerk', 'Inventory clerk'),
      ('district_manager', 'District manager'),
      ('finance', 'Finance'),
      ('hq_admin', 'Head-office admin');
    INSERT INTO role_permissions (role_id, permission) VALUES
      ('cashier', 'sell'), ('cashier', 'refund_with_receipt'), ('shift_lead', 'sell'), ('shift_lead', 'refund_with_receipt'),
      ('shift_lead', 'refund_without_receipt'), ('shift_lead', 'discount_over_threshold'), ('shift_lead', 'price_override'), ('shift_lead', 'no_sale'),
      ('shift_lead', 'void_sale'), ('shift_lead', 'cash_movement'), ('shift_lead', 'close_shift'), ('shift_lead', 'count_stock'),
      ('shift_lead', 'view_reports'), ('store_manager', 'sell'), ('store_manager', 'refund_with_receipt'), ('store_manager', 'refund_without_receipt'),
      ('store_manager', 'discount_over_threshold'), ('store_manager', 'price_override'), ('store_manager', 'no_sale'), ('store_manager', 'void_sale'),
      ('store_manager', 'cash_movement'), ('store_manager', 'close_shift'), ('store_manager', 'count_stock'), ('store_manager', 'view_reports'),
      ('store_manager', 'adjust_stock'), ('store_manager', 'receive_stock'), ('store_manager', 'transfer_stock'), ('store_manager', 'approve_purchase_orders'),
      ('store_manager', 'manage_users'), ('store_manager', 'view_customer_data'), ('store_manager', 'export_data'), ('store_manager', 'view_audit_log'),
      ('inventory_clerk', 'adjust_stock'), ('inventory_clerk', 'receive_stock'), ('inventory_clerk', 'transfer_stock'), ('inventory_clerk', 'count_stock'),
      ('inventory_clerk', 'view_reports'), ('district_manager', 'sell'), ('district_manager', 'refund_with_receipt'), ('district_manager', 'refund_without_receipt'),
      ('district_manager', 'discount_over_threshold'), ('district_manager', 'price_override'), ('district_manager', 'no_sale'), ('district_manager', 'void_sale'),
      ('district_manager', 'cash_movement'), ('district_manager', 'close_shift'), ('district_manager', 'count_stock'), ('district_manager', 'view_reports'),
      ('district_manager', 'adjust_stock'), ('district_manager', 'receive_stock'), ('district_manager', 'transfer_stock'), ('district_manager', 'approve_purchase_orders'),
      ('district_manager', 'manage_users'), ('district_manager', 'view_customer_data'), ('district_manager', 'export_data'), ('district_manager', 'view_audit_log'),
      ('district_manager', 'edit_prices'), ('district_manager', 'edit_promotions'), ('finance', 'view_reports'), ('finance', 'export_data'),
      ('finance', 'view_audit_log'), ('hq_admin', 'sell'), ('hq_admin', 'refund_with_receipt'), ('hq_admin', 'refund_without_receipt'),
      ('hq_admin', 'discount_over_threshold'), ('hq_admin', 'price_override'), ('hq_admin', 'no_sale'), ('hq_admin', 'void_sale'),
      ('hq_admin', 'cash_movement'), ('hq_admin', 'close_shift'), ('hq_admin', 'adjust_stock'), ('hq_admin', 'receive_stock'),
      ('hq_admin', 'transfer_stock'), ('hq_admin', 'count_stock'), ('hq_admin', 'edit_catalog'), ('hq_admin', 'edit_prices'),
      ('hq_admin', 'edit_promotions'), ('hq_admin', 'approve_purchase_orders'), ('hq_admin', 'manage_users'), ('hq_admin', 'manage_stores'),
      ('hq_admin', 'view_reports'), ('hq_admin', 'view_customer_data'), ('hq_admin', 'export_data'), ('hq_admin', 'erase_customer_data'),
      ('hq_admin', 'view_audit_log');

    INSERT INTO user_grants (username, role_id, scope_kind, scope_id)
      SELECT username, 'hq_admin', 'chain', '' FROM users WHERE role = 'admin';
    INSERT INTO user_grants (username, role_id, scope_kind, scope_id)
      SELECT username, 'district_manager', 'district', district_id
      FROM users WHERE role = 'district_manager' AND district_id IS NOT NULL;
    INSERT INTO user_grants (username, role_id, scope_kind, scope_id)
      SELECT u.username, CASE u.role WHEN 'associate' THEN 'cashier' ELSE u.role END, 'store', s.store_id
      FROM users u JOIN user_stores s ON s.username = u.username
      WHERE u.role IN ('associate', 'store_manager', 'district_manager');

    DROP TABLE user_stores;
    ALTER TABLE users DROP COLUMN role;
    ALTER TABLE users DROP COLUMN district_id;
  `,
  down: `
    ALTER TABLE users ADD COLUMN district_id text REFERENCES districts (id);
    ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'associate'
      CHECK (role IN ('associate', 'store_manager', 'district_manager', 'admin'));
    CREATE TABLE user_stores (
      username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
      store_id text NOT NULL,
      PRIMARY KEY (username, store_id)
    );
    UPDATE users u SET role = 'admin'
      WHERE EXISTS (SELECT 1 FROM user_grants g WHERE g.username = u.username AND g.role_id = 'hq_admin');
    INSERT INTO user_stores (username, store_id)
      SELECT DISTINCT username, scope_id FROM user_grants WHERE scope_kind = 'store';
    DROP TABLE user_grants, role_permissions, roles;
  `,
};
