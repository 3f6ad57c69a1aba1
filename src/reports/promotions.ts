import { sql } from 'kysely';
import { promotionUseCounts, promotionUseExceptions } from '../catalog/hq/index.ts';
import type { PromotionPerformance, PromotionsResponse } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { type Promotion, parsePromotions } from '../pricing/index.ts';
import { addDays, daysBetween, num, type StoreSet, storeIn } from './common.ts';

/** How long an ended promotion stays on the panel. */
const RECENT_DAYS = 30;

/** A schedule bound as a store-local date: the date part of "2026-11-27", "…T17:00" or an instant. */
const dayOf = (moment: string | undefined): string | undefined => moment?.slice(0, 10);

interface Window {
  from: string;
  to: string;
}

/**
 * The promotions panel: each promotion active now or ended in the last 30 days, with what it did in
 * the stores asked for. Its days run from its schedule's first day (or the first day a sale used it)
 * to today or its last day, whichever is earlier; "before" is the same number of days just before it,
 * per store-local business day, so a week-long offer is compared with the week before it.
 */
export async function loadPromotions(
  db: HqDb,
  opts: { stores: StoreSet; today: string; currency: string; now?: Date },
): Promise<PromotionsResponse> {
  const recent = addDays(opts.today, -RECENT_DAYS);
  const { rows: defs } = await sql<{ id: string; definition: unknown; active: boolean }>`
    SELECT id, definition, active FROM promotions p
     WHERE active OR EXISTS (SELECT 1 FROM promotion_daily d
                              WHERE d.promotion_id = p.id AND d.business_date >= ${recent})
     ORDER BY id`.execute(db);
  const { rows: firsts } = await sql<{ promotion_id: string; first: string; last: string }>`
    SELECT promotion_id, min(business_date)::text AS first, max(business_date)::text AS last
      FROM promotion_daily GROUP BY promotion_id`.execute(db);
  const seen = new Map(firsts.map((f) => [f.promotion_id, f]));
  const counts = new Map((await promotionUseCounts(db, opts.now)).map((c) => [c.promotionId, c]));
  const exceptions = await promotionUseExceptions(db, { stores: opts.stores, limit: 200 });
  const out: PromotionPerformance[] = [];
  for (const d of defs) {
    let p: Promotion | undefined;
    try {
      p = parsePromotions([d.definition])[0];
    } catch {
      continue; // a definition today's schema refuses cannot be described
    }
    if (!p) continue;
    const w = windowOf(p, seen.get(d.id), opts.today);
    if (!w) continue;
    if (!d.active && w.to < recent) continue;
    const days = daysBetween(w.from, w.to) + 1;
    const before = { from: addDays(w.from, -days), to: addDays(w.from, -1) };
    const during = await promotionDays(db, d.id, w, opts.stores);
    const c = counts.get(d.id);
    out.push({
      promotionId: d.id,
      name: p.name,
      kind: p.kind,
      active: d.active,
      from: w.from,
      to: w.to,
      days,
      uses: during.uses,
      discountMinor: during.discountMinor,
      discountedUnits: during.units,
      units: {
        during: await promotedUnits(db, d.id, w, opts.stores),
        before: await promotedUnits(db, d.id, before, opts.stores),
      },
      limitTotal: p.limits?.total ?? null,
      usedTotal: (c?.confirmed ?? 0) + (c?.reserved ?? 0),
      exceptions: exceptions.filter((x) => x.promotionId === d.id).length,
    });
  }
  return {
    currency: opts.currency,
    today: opts.today,
    promotions: out,
    exceptions: exceptions.map(({ id: _id, ...x }) => x),
  };
}

function windowOf(
  p: Promotion,
  seen: { first: string; last: string } | undefined,
  today: string,
): Window | undefined {
  const from = dayOf(p.schedule?.from) ?? seen?.first;
  if (!from || from > today) return undefined;
  // A date-only `to` includes that day; a date-time `to` ends within its day.
  const end = dayOf(p.schedule?.to) ?? seen?.last ?? today;
  const to = end < today ? end : today;
  return to < from ? undefined : { from, to };
}

async function promotionDays(db: HqDb, promotionId: string, w: Window, stores: StoreSet) {
  const { rows } = await sql<{ uses: unknown; discount: unknown; units: unknown }>`
    SELECT sum(uses) AS uses, sum(discount_minor) AS discount, sum(units) AS units
      FROM promotion_daily
     WHERE promotion_id = ${promotionId} AND business_date BETWEEN ${w.from} AND ${w.to}
       AND ${storeIn('store_id', stores)}`.execute(db);
  const r = rows[0];
  return { uses: num(r?.uses), discountMinor: num(r?.discount), units: num(r?.units) };
}

/** Units sold (net of returns) of the products the promotion discounted, in the window's days. */
async function promotedUnits(db: HqDb, promotionId: string, w: Window, stores: StoreSet): Promise<number> {
  const { rows } = await sql<{ units: unknown }>`
    SELECT sum(s.qty) AS units
      FROM sales_daily s JOIN promotion_skus k ON k.sku = s.sku AND k.promotion_id = ${promotionId}
     WHERE s.business_date BETWEEN ${w.from} AND ${w.to} AND ${storeIn('s.store_id', stores)}`.execute(db);
  return num(rows[0]?.units);
}
