import { sql } from 'kysely';
import { coversStore, type Principal, storesFor } from '../access/index.ts';
import type { Named, ScopeResponse } from '../contracts/index.ts';
import { businessDate } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import type { StoreSet } from './common.ts';

export interface ScopeStore extends Named {
  currency: string;
  timeZone: string;
}

/** The stores a principal may read reports of, with what queries need to know about them. */
export async function storesInScope(db: HqDb, p: Principal): Promise<ScopeStore[]> {
  const rows = await db
    .selectFrom('stores')
    .select(['id', 'name', 'currency', 'time_zone'])
    .orderBy('id')
    .execute();
  return rows
    .filter((r) => coversStore(storesFor(p, 'view_reports'), r.id))
    .map((r) => ({ id: r.id, name: r.name, currency: r.currency.trim(), timeZone: r.time_zone }));
}

/** Categories as the forecasts and drill-down key them: the catalog's tree when present, else the text. */
export async function listCategories(db: HqDb): Promise<Named[]> {
  const { rows } = await sql<{ id: string; name: string }>`
    SELECT k.id, coalesce(c.name, k.id) AS name
    FROM (SELECT DISTINCT coalesce(category_id, nullif(category, ''), 'uncategorised') AS id FROM products) k
    LEFT JOIN categories c ON c.id = k.id
    ORDER BY 2`.execute(db);
  return rows;
}

/** Pure: what the screen needs to open (which store first, may this person approve). */
export function shapeScope(p: Principal, stores: readonly ScopeStore[], categories: Named[]): ScopeResponse {
  const user = p.user ?? {
    username: p.actor,
    displayName: p.kind === 'admin' ? 'Head office (admin token)' : `Till ${p.actor}`,
    role: p.kind === 'admin' ? 'hq_admin' : '',
    stores: p.stores === 'all' ? ('all' as const) : [...p.stores],
    grants: [],
    permissions: p.permissions as ScopeResponse['user']['permissions'],
  };
  // A person whose grants are all single stores opens on their first store; a district or the chain on all.
  const storeBound = p.kind === 'terminal' || p.user?.grants.every((g) => g.scope.kind === 'store') === true;
  const approves = storesFor(p, 'approve_purchase_orders');
  return {
    user,
    stores: stores.map((s) => ({ id: s.id, name: s.name })),
    categories,
    defaultStore: storeBound ? (stores[0]?.id ?? null) : null,
    canApprove: approves === 'all' || approves.length > 0,
    currency: stores[0]?.currency ?? 'EUR',
  };
}

/** Today in the scope's time zone (the first store's; a chain spanning zones takes the first). */
export const todayIn = (stores: readonly ScopeStore[], now = new Date()): string =>
  businessDate(now, stores[0]?.timeZone ?? 'UTC');

/** The concrete store ids of a query, for SQL that wants a list even for head office. */
export const storeIds = (set: StoreSet, stores: readonly ScopeStore[]): string[] =>
  set === 'all' ? stores.map((s) => s.id) : [...set];
