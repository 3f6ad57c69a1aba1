import { sql } from 'kysely';
import {
  DEFAULT_ROLES,
  LEGACY_ROLES,
  TILL_PERMISSIONS,
  type TillPermission,
  type TillUserWire,
} from '../contracts/index.ts';
import { conflict, invalid, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { hashPin, PIN_PATTERN } from './pin-hash.ts';
import { acc } from './users.ts';

/**
 * Who may act at a store's tills, with what: the one place that answers it for the catalog a till
 * pulls. Today from the user's role (its default role's permissions, by LEGACY_ROLES) and their store
 * scope (their stores, a district manager's district, every store for an admin); grants by role and
 * scope replace the body of `tillUsersForStore` and nothing else.
 */
export type TillCredentialTables = {
  till_credentials: { username: string; till_code: string; pin_hash: string; updated_at: Date };
};
const creds = (db: HqDb) => db.withTables<TillCredentialTables>();

export const TILL_CODE_PATTERN = /^\d{3,8}$/;

/** The till permissions a role gives, in TILL_PERMISSIONS order. */
export function tillPermissionsOfRole(role: string): TillPermission[] {
  const granted = DEFAULT_ROLES[LEGACY_ROLES[role] ?? role]?.permissions ?? [];
  return TILL_PERMISSIONS.filter((p) => granted.includes(p));
}

/**
 * Every user with a till code who holds a till permission at `storeId`, deactivated ones included
 * (active: false), so a till drops a person the moment it hears of it.
 */
export async function tillUsersForStore(db: HqDb, storeId: string): Promise<TillUserWire[]> {
  const { rows } = await sql<{
    username: string;
    display_name: string;
    role: string;
    active: boolean;
    till_code: string;
    pin_hash: string;
  }>`
    SELECT u.username, u.display_name, u.role, u.active, c.till_code, c.pin_hash
    FROM users u JOIN till_credentials c ON c.username = u.username
    WHERE u.role = 'admin'
       OR EXISTS (SELECT 1 FROM user_stores s WHERE s.username = u.username AND s.store_id = ${storeId})
       OR (u.role = 'district_manager' AND EXISTS (
             SELECT 1 FROM district_stores d WHERE d.district_id = u.district_id AND d.store_id = ${storeId}))
    ORDER BY c.till_code`.execute(db);
  return rows
    .map((r) => ({
      userId: r.username,
      code: r.till_code,
      name: r.display_name,
      permissions: tillPermissionsOfRole(r.role),
      pinHash: r.pin_hash,
      active: r.active,
    }))
    .filter((u) => u.permissions.length > 0);
}

/** Sets (or changes) a user's till code and PIN; the code must be free. */
export async function setTillPin(
  db: HqDb,
  input: { username: string; code: string; pin: string },
): Promise<{ username: string; code: string }> {
  if (!TILL_CODE_PATTERN.test(input.code)) throw invalid('code', 'use 3 to 8 digits, e.g. 1001');
  if (!PIN_PATTERN.test(input.pin)) throw invalid('pin', 'must be 4 to 8 digits');
  const user = await acc(db)
    .selectFrom('users')
    .select('username')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (!user) throw notFound(`user ${input.username}`, 'username');
  const taken = await creds(db)
    .selectFrom('till_credentials')
    .select('username')
    .where('till_code', '=', input.code)
    .executeTakeFirst();
  if (taken && taken.username !== input.username)
    throw conflict(`till code ${input.code} belongs to another user; pick a free one`, 'code');
  const pinHash = hashPin(input.pin);
  await creds(db)
    .insertInto('till_credentials')
    .values({ username: input.username, till_code: input.code, pin_hash: pinHash, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({ till_code: input.code, pin_hash: pinHash, updated_at: new Date() }),
    )
    .execute();
  return { username: input.username, code: input.code };
}
