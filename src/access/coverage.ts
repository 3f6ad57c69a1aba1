import type { Grant, Permission } from '../contracts/index.ts';

/**
 * What a person's grants come to: for each permission, the stores it covers. Pure, so the rule (a
 * chain grant covers every store, a district grant the district's stores today) is tested without a
 * database and computed the same way for a session, the admin token and a till.
 */
export type StoreSet = readonly string[] | 'all';
export type PermissionStores = Partial<Record<Permission, StoreSet>>;

const union = (a: StoreSet | undefined, b: StoreSet): StoreSet => {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...(a ?? []), ...b])].sort();
};

export function permissionStores(
  grants: readonly Grant[],
  rolePermissions: ReadonlyMap<string, readonly Permission[]>,
  districtStores: ReadonlyMap<string, readonly string[]>,
): PermissionStores {
  const out: PermissionStores = {};
  for (const g of grants) {
    const stores: StoreSet =
      g.scope.kind === 'chain'
        ? 'all'
        : g.scope.kind === 'store'
          ? [g.scope.id]
          : (districtStores.get(g.scope.id) ?? []);
    for (const p of rolePermissions.get(g.role) ?? []) out[p] = union(out[p], stores);
  }
  return out;
}

/** Every store any permission covers: what the dashboard may list. */
export function anyStores(perms: PermissionStores): StoreSet {
  let all: StoreSet = [];
  for (const s of Object.values(perms)) if (s) all = union(all, s);
  return all;
}

export const coversStore = (set: StoreSet | undefined, storeId: string): boolean =>
  set === 'all' || (set ?? []).includes(storeId);

/** Whether `inner` lies within `outer`. */
export const within = (inner: StoreSet, outer: StoreSet | undefined): boolean =>
  outer === 'all' || (inner !== 'all' && inner.every((s) => coversStore(outer, s)));

/** Every permission over `stores`: the admin token's, and the start of a till's. */
export const everywhere = (perms: readonly Permission[], stores: StoreSet): PermissionStores =>
  Object.fromEntries(perms.map((p) => [p, stores]));
