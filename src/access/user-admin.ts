import type { Grant, Permission, SessionUser } from '../contracts/index.ts';
import { invalid, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { acc } from './access-tables.ts';
import { coversStore, type PermissionStores, type StoreSet, within } from './coverage.ts';
import {
  assertUserManagerRemains,
  chainHolders,
  checkGrantTargets,
  grantsOf,
  rolePermissions,
  scopeStoresOf,
  writeGrants,
} from './grants.ts';
import { forbidden } from './refusals.ts';
import { hashPassword, loadUser, passwordSchema } from './users.ts';

/**
 * Managing people without escalation: someone with manage_users may grant (or take away) a role over a
 * scope only when they themselves hold manage_users and every permission of that role over all of that
 * scope's stores; and may deactivate a user or reset their password only when they could have granted
 * every grant that user holds. So a store manager manages their store's cashiers, never a district
 * manager, and nobody hands out more than they have.
 */
const scopeName = (g: Grant): string =>
  g.scope.kind === 'chain' ? 'the chain' : `${g.scope.kind} ${g.scope.id}`;

/** Refuses the first grant `actor` could not give, naming what they lack. */
export async function assertMayGrant(
  db: HqDb,
  actor: PermissionStores,
  grants: readonly Grant[],
  field = 'grants',
): Promise<void> {
  const perms = await rolePermissions(db, [...new Set(grants.map((g) => g.role))]);
  for (const [i, g] of grants.entries()) {
    const stores = await scopeStoresOf(db, g);
    const needed: Permission[] = ['manage_users', ...(perms.get(g.role) ?? [])];
    const lacking = needed.filter((p) => !within(stores, actor[p]));
    if (lacking.length > 0)
      throw forbidden(
        `${field}.${i}: granting ${g.role} over ${scopeName(g)} needs ${[...new Set(lacking)].join(', ')} there, which you lack`,
        `${field}.${i}`,
      );
  }
}

async function activeGrants(db: HqDb, username: string): Promise<Grant[]> {
  const u = await acc(db)
    .selectFrom('users')
    .select('username')
    .where('username', '=', username)
    .executeTakeFirst();
  if (!u) throw notFound(`user ${username}`, 'username');
  return grantsOf(db, username);
}

/** Replaces a user's grants; the actor must be able to give both what is taken away and what is added. */
export async function setGrants(
  db: HqDb,
  actor: PermissionStores,
  username: string,
  grants: readonly Grant[],
): Promise<SessionUser | undefined> {
  const before = await activeGrants(db, username);
  const key = (g: Grant) => JSON.stringify([g.role, g.scope]);
  const now = new Set(grants.map(key));
  const was = new Set(before.map(key));
  await checkGrantTargets(db, grants);
  await assertMayGrant(
    db,
    actor,
    grants.filter((g) => !was.has(key(g))),
  );
  await assertMayGrant(
    db,
    actor,
    before.filter((g) => !now.has(key(g))),
    'revoked',
  );
  const hadManager = (await chainHolders(db, 'manage_users')).length > 0;
  await db.transaction().execute(async (trx) => {
    await writeGrants(trx, username, grants);
    if (hadManager) await assertUserManagerRemains(trx, `changing ${username}'s grants`);
  });
  return loadUser(db, username);
}

/** The user's grants must all be ones the actor could give: else they are not the actor's to manage. */
export async function assertManages(db: HqDb, actor: PermissionStores, username: string): Promise<void> {
  await assertMayGrant(db, actor, await activeGrants(db, username), 'user');
}

export async function deactivateUser(db: HqDb, actor: PermissionStores, username: string): Promise<void> {
  await assertManages(db, actor, username);
  const hadManager = (await chainHolders(db, 'manage_users')).length > 0;
  await db.transaction().execute(async (trx) => {
    await acc(trx).updateTable('users').set({ active: false }).where('username', '=', username).execute();
    await acc(trx).deleteFrom('sessions').where('username', '=', username).execute();
    if (hadManager) await assertUserManagerRemains(trx, `deactivating ${username}`);
  });
}

/** Sets a new password and ends the user's sessions. */
export async function resetPassword(
  db: HqDb,
  actor: PermissionStores,
  username: string,
  password: string,
): Promise<void> {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw invalid('password', parsed.error.issues[0]?.message ?? 'not a password');
  await assertManages(db, actor, username);
  const hash = await hashPassword(parsed.data);
  await db.transaction().execute(async (trx) => {
    await acc(trx)
      .updateTable('users')
      .set({ password_hash: hash })
      .where('username', '=', username)
      .execute();
    await acc(trx).deleteFrom('sessions').where('username', '=', username).execute();
  });
}

export interface UserRow {
  username: string;
  displayName: string;
  active: boolean;
  grants: Grant[];
}

/** Users with a grant touching `stores` (everyone for the chain), active or not. */
export async function listUsers(db: HqDb, stores: StoreSet): Promise<UserRow[]> {
  const rows = await acc(db)
    .selectFrom('users')
    .select(['username', 'display_name', 'active'])
    .where('removed_at', 'is', null)
    .orderBy('username')
    .execute();
  const out: UserRow[] = [];
  for (const r of rows) {
    const grants = await grantsOf(db, r.username);
    if (stores !== 'all') {
      let touches = false;
      for (const g of grants) {
        const s = await scopeStoresOf(db, g);
        if (s === 'all' ? false : s.some((x) => coversStore(stores, x))) touches = true;
      }
      if (!touches) continue;
    }
    out.push({ username: r.username, displayName: r.display_name, active: r.active, grants });
  }
  return out;
}
