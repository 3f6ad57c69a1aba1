import { type Generated, type Kysely, sql } from 'kysely';
import { invalid, isoToUtcMs } from '../../core/index.ts';
import type { HqDb, HqSchema } from '../../db/index.ts';

/**
 * The chain's calendar of events (migration 0010): holidays, sports finals, SNAP benefit days, each for
 * the whole chain, a region (a state) or a list of stores. Forecasts read it as daily covariates: events
 * of type SNAP as the numeric `snap`, all others as the categorical `event` (see hq-history.ts).
 */
export type CalendarScope = 'chain' | 'region' | 'stores';

/** The type that marks SNAP (food-stamp benefit) days, which forecasts read apart from other events. */
export const SNAP_TYPE = 'SNAP';
/** The type that marks a day the store is shut: forecasts expect no sales on it. */
export const CLOSED_TYPE = 'Closed';
export const DEFAULT_EVENT_TYPE = 'Event';

export type CalendarTables = {
  calendar_events: {
    id: Generated<number>;
    // Returned as YYYY-MM-DD text: the HQ connection parses no dates (see sales_daily.business_date).
    date: string;
    name: string;
    type: string;
    scope: CalendarScope;
    scope_ids: string[];
    source: string;
    created_at: Generated<Date>;
  };
  store_regions: { store_id: string; region: string };
};

export type CalendarDb = Kysely<HqSchema & CalendarTables>;
export const calendarDb = (db: HqDb): CalendarDb => db.withTables<CalendarTables>();

export interface CalendarEvent {
  date: string;
  name: string;
  type: string;
  scope: CalendarScope;
  /** Region codes or store ids; empty for the chain. */
  scopeIds: readonly string[];
}

export interface StoredCalendarEvent extends CalendarEvent {
  source: string;
}

function check(e: CalendarEvent): CalendarEvent {
  if (Number.isNaN(isoToUtcMs(e.date))) throw invalid('date', `"${e.date}" is not a YYYY-MM-DD date`);
  const name = e.name.trim();
  if (!name) throw invalid('name', 'an event needs a name');
  const ids = [...new Set(e.scopeIds.map((s) => s.trim()).filter(Boolean))].sort();
  if ((e.scope === 'chain') !== (ids.length === 0))
    throw invalid(
      'scope',
      e.scope === 'chain' ? 'a chain-wide event names no stores' : `name the ${e.scope}`,
    );
  return { date: e.date, name, type: e.type.trim() || DEFAULT_EVENT_TYPE, scope: e.scope, scopeIds: ids };
}

/**
 * Adds events; one already there (same day, name and scope) keeps its row and takes the new type.
 * Store ids in a `stores` scope must be HQ's stores.
 */
export async function addCalendarEvents(
  db: HqDb,
  events: readonly CalendarEvent[],
  source = 'manual',
): Promise<number> {
  const rows = events.map(check);
  if (rows.length === 0) return 0;
  const named = [...new Set(rows.filter((r) => r.scope === 'stores').flatMap((r) => r.scopeIds))];
  if (named.length > 0) {
    const known = new Set(
      (await db.selectFrom('stores').select('id').where('id', 'in', named).execute()).map((r) => r.id),
    );
    const unknown = named.filter((id) => !known.has(id));
    if (unknown.length > 0) throw invalid('--stores', `HQ has no store ${unknown.join(', ')}`);
  }
  const cdb = calendarDb(db);
  for (let i = 0; i < rows.length; i += 2_000) {
    await cdb
      .insertInto('calendar_events')
      .values(
        rows.slice(i, i + 2_000).map((r) => ({
          date: r.date,
          name: r.name,
          type: r.type,
          scope: r.scope,
          scope_ids: [...r.scopeIds],
          source,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['date', 'name', 'scope', 'scope_ids'])
          .doUpdateSet((eb) => ({ type: eb.ref('excluded.type') })),
      )
      .execute();
  }
  return rows.length;
}

/** Replaces every event a source wrote with these, so a re-import leaves the same rows. */
export async function replaceCalendarSource(
  db: HqDb,
  source: string,
  events: readonly CalendarEvent[],
): Promise<number> {
  await calendarDb(db).deleteFrom('calendar_events').where('source', '=', source).execute();
  return addCalendarEvents(db, events, source);
}

export async function listCalendarEvents(
  db: HqDb,
  o: { from?: string; to?: string } = {},
): Promise<StoredCalendarEvent[]> {
  let q = calendarDb(db)
    .selectFrom('calendar_events')
    .select(['date', 'name', 'type', 'scope', 'scope_ids', 'source'])
    .orderBy('date')
    .orderBy('id');
  if (o.from) q = q.where('date', '>=', o.from);
  if (o.to) q = q.where('date', '<=', o.to);
  const rows = await q.execute();
  return rows.map((r) => ({
    date: String(r.date),
    name: r.name,
    type: r.type,
    scope: r.scope,
    scopeIds: r.scope_ids,
    source: r.source,
  }));
}

/** Puts stores in a region (replacing the region they were in). */
export async function setStoreRegions(db: HqDb, regionOf: ReadonlyMap<string, string>): Promise<void> {
  if (regionOf.size === 0) return;
  for (const r of regionOf.values()) if (!r.trim()) throw invalid('region', 'a region needs a code');
  const known = new Set(
    (
      await db
        .selectFrom('stores')
        .select('id')
        .where('id', 'in', [...regionOf.keys()])
        .execute()
    ).map((r) => r.id),
  );
  const unknown = [...regionOf.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalid('--stores', `HQ has no store ${unknown.join(', ')}`);
  await calendarDb(db)
    .insertInto('store_regions')
    .values([...regionOf].map(([store_id, region]) => ({ store_id, region })))
    .onConflict((oc) => oc.column('store_id').doUpdateSet((eb) => ({ region: eb.ref('excluded.region') })))
    .execute();
}

export async function storeRegions(db: HqDb): Promise<Map<string, string>> {
  const rows = await calendarDb(db).selectFrom('store_regions').select(['store_id', 'region']).execute();
  return new Map(rows.map((r) => [r.store_id, r.region]));
}

/** What a store's calendar says on each day: the first event recorded for it, and whether it is SNAP. */
export interface StoreDay {
  event?: string;
  snap?: boolean;
  /** An event of type Closed covers the day: the store sells nothing. */
  closed?: boolean;
}

/**
 * The calendar as seen by each of these stores from `from` to `to`, by store then date. Where a day
 * has several events for a store, the first recorded wins (M5's event_name_1 before event_name_2).
 */
export async function storeCalendars(
  db: HqDb,
  storeIds: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, Map<string, StoreDay>>> {
  const out = new Map<string, Map<string, StoreDay>>(storeIds.map((s) => [s, new Map()]));
  if (storeIds.length === 0) return out;
  const rows = await sql<{
    date: string;
    name: string;
    type: string;
    scope: CalendarScope;
    scope_ids: string[];
  }>`
    SELECT date::text AS date, name, type, scope, scope_ids FROM calendar_events
    WHERE date BETWEEN ${from}::date AND ${to}::date ORDER BY date, id`.execute(db);
  if (rows.rows.length === 0) return out;
  const regions = await storeRegions(db);
  const byRegion = new Map<string, string[]>();
  for (const s of storeIds) {
    const r = regions.get(s);
    if (r !== undefined) byRegion.set(r, [...(byRegion.get(r) ?? []), s]);
  }
  for (const r of rows.rows) {
    const stores =
      r.scope === 'chain'
        ? storeIds
        : r.scope === 'region'
          ? r.scope_ids.flatMap((id) => byRegion.get(id) ?? [])
          : r.scope_ids.filter((id) => out.has(id));
    const snap = r.type.toUpperCase() === SNAP_TYPE;
    const closed = r.type.toLowerCase() === CLOSED_TYPE.toLowerCase();
    for (const s of stores) {
      const days = out.get(s) as Map<string, StoreDay>;
      const d = days.get(r.date) ?? {};
      if (closed) d.closed = true;
      if (snap) d.snap = true;
      else d.event ??= r.name;
      days.set(r.date, d);
    }
  }
  return out;
}
