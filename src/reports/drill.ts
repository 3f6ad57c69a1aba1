import { sql } from 'kysely';
import type { DrillLevel, DrillQuery, DrillResponse, DrillRow } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { addDays, categoryKeySql, describeStores, num, type StoreSet, source, storeIn } from './common.ts';
import type { ScopeStore } from './scope.ts';

export interface DrillFact {
  id: string;
  name: string;
  u7: number;
  r7: number;
  u28: number;
  r28: number;
}

/** chain → stores; store → categories; category (with or without a store) → SKUs. */
export function drillLevelOf(q: DrillQuery): { shows: Exclude<DrillLevel, 'chain'>; at: DrillLevel } {
  if (q.category) return { shows: 'sku', at: 'category' };
  if (q.store) return { shows: 'category', at: 'store' };
  return { shows: 'store', at: 'chain' };
}

/** Pure: rows (largest 28-day revenue first) with the query that opens each one. */
export function shapeDrill(q: DrillQuery, facts: readonly DrillFact[]): DrillRow[] {
  const { shows } = drillLevelOf(q);
  return [...facts]
    .sort((a, b) => b.r28 - a.r28 || a.id.localeCompare(b.id))
    .map((f) => ({
      level: shows,
      id: f.id,
      name: f.name,
      next:
        shows === 'store'
          ? { store: f.id }
          : shows === 'category'
            ? { store: q.store, category: f.id }
            : null,
      units7d: f.u7,
      revenue7dMinor: f.r7,
      units28d: f.u28,
      revenue28dMinor: f.r28,
    }));
}

export async function loadDrill(
  db: HqDb,
  q: DrillQuery & { stores: StoreSet; scopeStores: readonly ScopeStore[]; today: string; currency: string },
): Promise<DrillResponse> {
  const { shows, at } = drillLevelOf(q);
  const set: StoreSet = q.store ? [q.store] : q.stores;
  // Whole days only, ending yesterday: a 7-day window holding a few hours of today would set 6¼ days
  // against 28 and read as a slowdown every morning.
  const through = addDays(q.today, -1);
  const from28 = addDays(through, -27);
  const from7 = addDays(through, -6);
  const group = shows === 'store' ? sql`d.store_id` : shows === 'category' ? categoryKeySql('p') : sql`d.sku`;
  const { rows } = await sql<{ id: string; u7: number; r7: number; u28: number; r28: number }>`
    SELECT ${group} AS id,
      sum(d.qty) FILTER (WHERE d.business_date >= ${from7}) AS u7,
      sum(d.net_minor) FILTER (WHERE d.business_date >= ${from7}) AS r7,
      sum(d.qty) AS u28, sum(d.net_minor) AS r28
    FROM sales_daily d LEFT JOIN products p ON p.sku = d.sku
    WHERE d.business_date >= ${from28} AND d.business_date <= ${through} AND ${storeIn('d.store_id', set)}
      ${q.category ? sql`AND ${categoryKeySql('p')} = ${q.category}` : sql``}
    GROUP BY 1`.execute(db);
  const names = await namesFor(
    db,
    shows,
    rows.map((r) => r.id),
    q.scopeStores,
  );
  const facts = rows.map((r) => ({
    id: r.id,
    name: names.get(r.id) ?? r.id,
    u7: num(r.u7),
    r7: num(r.r7),
    u28: num(r.u28),
    r28: num(r.r28),
  }));
  // Stores with no sales in the window still belong on the chain level, as zeros.
  if (shows === 'store')
    for (const s of q.scopeStores)
      if ((q.stores === 'all' || q.stores.includes(s.id)) && !facts.some((f) => f.id === s.id))
        facts.push({ id: s.id, name: s.name, u7: 0, r7: 0, u28: 0, r28: 0 });
  const path: DrillResponse['path'] = [{ level: 'chain', id: '*', name: 'All stores', query: {} }];
  if (q.store)
    path.push({
      level: 'store',
      id: q.store,
      name: q.scopeStores.find((s) => s.id === q.store)?.name ?? q.store,
      query: { store: q.store },
    });
  if (q.category) {
    const cat = await namesFor(db, 'category', [q.category], q.scopeStores);
    path.push({
      level: 'category',
      id: q.category,
      name: cat.get(q.category) ?? q.category,
      query: { store: q.store, category: q.category },
    });
  }
  return {
    level: at,
    path,
    rows: shapeDrill(q, facts),
    through,
    currency: q.currency,
    source: source(
      ['sales_daily', 'products'],
      `sum of sales_daily qty and net (ex tax) by ${shows} for ${describeStores(set)}${q.category ? `, category ${q.category}` : ''}, ${from28}…${through}, whole days (7 days from ${from7})`,
    ),
  };
}

async function namesFor(
  db: HqDb,
  level: Exclude<DrillLevel, 'chain'>,
  ids: string[],
  stores: readonly ScopeStore[],
): Promise<Map<string, string>> {
  if (level === 'store') return new Map(stores.map((s) => [s.id, s.name]));
  if (ids.length === 0) return new Map();
  if (level === 'sku') {
    const rows = await db.selectFrom('products').select(['sku', 'name']).where('sku', 'in', ids).execute();
    return new Map(rows.map((r) => [r.sku, r.name]));
  }
  const { rows } = await sql<{
    id: string;
    name: string;
  }>`SELECT id, name FROM categories WHERE id IN (${sql.join(ids)})`.execute(db);
  return new Map(rows.map((r) => [r.id, r.name]));
}
