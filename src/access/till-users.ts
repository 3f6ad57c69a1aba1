import { sql } from 'kysely';
import { TILL_PERMISSIONS, type TillPermission, type TillUserWire } from '../contracts/index.ts';
import { conflict, invalid, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { hashPin, PIN_PATTERN } from './pin-hash.ts';
import { acc } from './users.ts';

/**
 * Who may act at a store's tills, with what: the one place that answers it for the catalog a till
 * pulls. A user's till permissions at a store are those of every role granted to them over that store,
 * its district or the chain (the grants of `grants.ts`), kept to TILL_PERMISSIONS.
 */
export type TillCredentialTables = {
  till_credentials: { username: string; till_code: string; pin_hash: string; updated_at: Date };
};
const creds = (db: HqDb) => db.withTables<TillCredentialTables>();

export const TILL_CODE_PATTERN = /^\d{3,8}$/;

const isTillPermission = (p: string): p is TillPermission =>
  (TILL_PERMISSIONS as readonly string[]).includes(p);

/**
 * Every user with a till code who holds a till permission at `storeId`, deactivated ones included
 * (active: false), so a till drops a person the moment it hears of it.
 */
export async function tillUsersForStore(db: HqDb, storeId: string): Promise<TillUserWire[]> {
  const { rows } = await sql<{
    username: string;
    display_name: string;
    active: boolean;
    till_code: string;
    pin_hash: string;
    permission: string;
  }>`
    SELECT u.username, u.display_name, u.active, c.till_code, c.pin_hash, rp.permission
    FROM users u
    JOIN till_credentials c ON c.username = u.username
    JOIN user_grants g ON g.username = u.username
    JOIN role_permissions rp ON rp.role_id = g.role_id
    WHERE g.scope_kind = 'chain'
       OR (g.scope_kind = 'store' AND g.scope_id = ${storeId})
       OR (g.scope_kind = 'district' AND EXISTS (
             SELECT 1 FROM district_stores d WHERE d.district_id = g.scope_id AND d.store_id = ${storeId}))
    ORDER BY c.till_code`.execute(db);
  const users = new Map<string, TillUserWire & { held: Set<string> }>();
  for (const r of rows) {
    const u =
      users.get(r.username) ??
      users
        .set(r.username, {
          userId: r.username,
          code: r.till_code,
          name: r.display_name,
          permissions: [],
          pinHash: r.pin_hash,
          active: r.active,
          held: new Set(),
        })
        .get(r.username);
    if (u && isTillPermission(r.permission)) u.held.add(r.permission);
  }
  return [...users.values()]
    .map(({ held, ...u }) => ({ ...u, permissions: TILL_PERMISSIONS.filter((p) => held.has(p)) }))
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
