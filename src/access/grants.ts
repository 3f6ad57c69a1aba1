import { type Grant, PERMISSIONS, type Permission } from '../contracts/index.ts';
import { conflict, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { acc } from './access-tables.ts';
import { type PermissionStores, permissionStores, type StoreSet } from './coverage.ts';

/**
 * Users' grants in the database: read, written, and expanded into what each permission covers. A
 * district grant covers the district's stores as they are when asked, so moving a store between
 * districts moves its managers' reach with it.
 */
const known = new Set<string>(PERMISSIONS);

export async function grantsOf(db: HqDb, username: string): Promise<Grant[]> {
  const rows = await acc(db)
    .selectFrom('user_grants')
    .select(['role_id', 'scope_kind', 'scope_id'])
    .where('username', '=', username)
    .orderBy('role_id')
    .orderBy('scope_kind')
    .orderBy('scope_id')
    .execute();
  return rows.map(toGrant);
}

export const toGrant = (r: { role_id: string; scope_kind: string; scope_id: string }): Grant => ({
  role: r.role_id,
  scope:
    r.scope_kind === 'chain'
      ? { kind: 'chain' }
      : { kind: r.scope_kind === 'district' ? 'district' : 'store', id: r.scope_id },
});

/** Each role's permissions (only names this release knows; a stray row grants nothing). */
export async function rolePermissions(
  db: HqDb,
  roles?: readonly string[],
): Promise<Map<string, Permission[]>> {
  if (roles && roles.length === 0) return new Map();
  let q = acc(db).selectFrom('role_permissions').select(['role_id', 'permission']);
  if (roles) q = q.where('role_id', 'in', [...roles]);
  const out = new Map<string, Permission[]>();
  for (const r of await q.execute()) {
    if (!known.has(r.permission)) continue;
    out.set(r.role_id, [...(out.get(r.role_id) ?? []), r.permission as Permission]);
  }
  return out;
}

export async function districtStores(db: HqDb, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await acc(db)
    .selectFrom('district_stores')
    .select(['district_id', 'store_id'])
    .where('district_id', 'in', [...ids])
    .execute();
  for (const r of rows) out.set(r.district_id, [...(out.get(r.district_id) ?? []), r.store_id]);
  return out;
}

/** What the grants come to, per permission. */
export async function coverageOf(db: HqDb, grants: readonly Grant[]): Promise<PermissionStores> {
  const roles = [...new Set(grants.map((g) => g.role))];
  const districts = [...new Set(grants.flatMap((g) => (g.scope.kind === 'district' ? [g.scope.id] : [])))];
  return permissionStores(grants, await rolePermissions(db, roles), await districtStores(db, districts));
}

/** The stores a grant's scope covers today. */
export async function scopeStoresOf(db: HqDb, g: Grant): Promise<StoreSet> {
  if (g.scope.kind === 'chain') return 'all';
  if (g.scope.kind === 'store') return [g.scope.id];
  return (await districtStores(db, [g.scope.id])).get(g.scope.id) ?? [];
}

/** Refuses a grant naming a role, store or district HQ does not know (404 naming the field). */
export async function checkGrantTargets(
  db: HqDb,
  grants: readonly Grant[],
  /** The request's name for a grant's scope id (legacy input names `stores` and `districtId`). */
  scopeField: (g: Grant, i: number) => string = (_g, i) => `grants.${i}.scope.id`,
): Promise<void> {
  for (const [i, g] of grants.entries()) {
    const role = await acc(db).selectFrom('roles').select('id').where('id', '=', g.role).executeTakeFirst();
    if (!role) throw notFound(`role ${g.role}; see GET /api/v1/roles`, `grants.${i}.role`);
    if (g.scope.kind === 'store') {
      const s = await db.selectFrom('stores').select('id').where('id', '=', g.scope.id).executeTakeFirst();
      if (!s) throw notFound(`store ${g.scope.id}`, scopeField(g, i));
    }
    if (g.scope.kind === 'district') {
      const d = await acc(db)
        .selectFrom('districts')
        .select('id')
        .where('id', '=', g.scope.id)
        .executeTakeFirst();
      if (!d) throw notFound(`district ${g.scope.id}`, scopeField(g, i));
    }
  }
}

const grantRow = (username: string, g: Grant) => ({
  username,
  role_id: g.role,
  scope_kind: g.scope.kind,
  scope_id: g.scope.kind === 'chain' ? '' : g.scope.id,
});

/** Replaces a user's grants with `grants` (in the caller's transaction). */
export async function writeGrants(db: HqDb, username: string, grants: readonly Grant[]): Promise<void> {
  await acc(db).deleteFrom('user_grants').where('username', '=', username).execute();
  const rows = grants.map((g) => grantRow(username, g));
  const unique = [...new Map(rows.map((r) => [JSON.stringify(r), r])).values()];
  if (unique.length > 0) await acc(db).insertInto('user_grants').values(unique).execute();
}

/** Active users holding `permission` over the whole chain. */
export async function chainHolders(db: HqDb, permission: Permission): Promise<string[]> {
  const rows = await acc(db)
    .selectFrom('user_grants as g')
    .innerJoin('role_permissions as rp', 'rp.role_id', 'g.role_id')
    .innerJoin('users as u', 'u.username', 'g.username')
    .select('g.username')
    .distinct()
    .where('g.scope_kind', '=', 'chain')
    .where('rp.permission', '=', permission)
    .where('u.active', '=', true)
    .execute();
  return rows.map((r) => r.username);
}

/** Refuses a change that leaves nobody able to manage users over the chain (the way back in). */
export async function assertUserManagerRemains(db: HqDb, what: string): Promise<void> {
  if ((await chainHolders(db, 'manage_users')).length === 0)
    throw conflict(
      `${what} would leave no active user with manage_users over the chain; grant it to someone else first`,
      'manage_users',
    );
}

export const sameScope = (a: Grant['scope'], b: Grant['scope']): boolean =>
  a.kind === b.kind && (a.kind === 'chain' || (b.kind !== 'chain' && a.id === b.id));
