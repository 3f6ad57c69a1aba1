import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { returnedDiscountShare } from './promotion-return-share.ts';

/**
 * The promotions panel's facts (migration 0028), written by the sales projection: per promotion,
 * store and store-local business day the sales that used it, the discount it gave and the units it
 * discounted; and which products it touched, so their units can be compared with the days before.
 * Returns come off them (migration 0033): a returned line's units and its share of the discount, and the
 * use once the whole sale is back, on the sale's own day.
 */
export interface PromotionDayFact {
  promotionId: string;
  storeId: string;
  businessDate: string;
  uses: number;
  discountMinor: number;
  units: number;
}

/** Adds facts in one upsert per table (call inside the ingest transaction). */
export async function addPromotionFacts(
  trx: HqDb,
  days: readonly PromotionDayFact[],
  skus: readonly { promotionId: string; sku: string }[],
): Promise<void> {
  // A fixed order, so concurrent upserts lock rows alike and cannot deadlock.
  const key = (d: PromotionDayFact) => `${d.promotionId}\u0000${d.storeId}\u0000${d.businessDate}`;
  const sorted = [...days].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  if (sorted.length > 0)
    await sql`
      INSERT INTO promotion_daily (promotion_id, store_id, business_date, uses, discount_minor, units)
      VALUES ${sql.join(
        sorted.map(
          (d) =>
            sql`(${d.promotionId}, ${d.storeId}, ${d.businessDate}::date, ${d.uses}, ${d.discountMinor}, ${d.units})`,
        ),
      )}
      ON CONFLICT (promotion_id, store_id, business_date) DO UPDATE SET
        uses = promotion_daily.uses + excluded.uses,
        discount_minor = promotion_daily.discount_minor + excluded.discount_minor,
        units = promotion_daily.units + excluded.units`.execute(trx);
  if (skus.length > 0)
    await sql`
      INSERT INTO promotion_skus (promotion_id, sku)
      VALUES ${sql.join(skus.map((s) => sql`(${s.promotionId}, ${s.sku})`))}
      ON CONFLICT DO NOTHING`.execute(trx);
}

/** A sale that used promotions, as the panel keeps it so a return can be taken off later. */
export interface PromotionSaleFact {
  saleId: string;
  storeId: string;
  businessDate: string;
  /** Every unit of the sale: the promotion's use is given back once all of them came back. */
  units: number;
  promotionIds: string[];
  /** Per line and promotion, the units and the discount the promotion gave on it. */
  lines: { lineNo: number; promotionId: string; qty: number; discountMinor: number }[];
}

export async function addPromotionSales(trx: HqDb, sales: readonly PromotionSaleFact[]): Promise<void> {
  for (const s of sales) {
    const first = await sql`
      INSERT INTO promotion_sales (sale_id, store_id, business_date, units, promotion_ids)
      VALUES (${s.saleId}, ${s.storeId}, ${s.businessDate}::date, ${s.units}, ${s.promotionIds}::text[])
      ON CONFLICT DO NOTHING`.execute(trx);
    if ((first.numAffectedRows ?? 0n) === 0n || s.lines.length === 0) continue;
    await sql`
      INSERT INTO promotion_sale_lines (sale_id, line_no, promotion_id, qty, discount_minor)
      VALUES ${sql.join(s.lines.map((l) => sql`(${s.saleId}, ${l.lineNo}, ${l.promotionId}, ${l.qty}, ${l.discountMinor})`))}
      ON CONFLICT DO NOTHING`.execute(trx);
  }
}

/**
 * A return of a promoted sale, taken off the panel's facts on the sale's own store-day: each returned
 * line's units and its share of the discount (promotion-return-share.ts), and the use itself once every
 * unit of the sale came back (as the promotion ledger then releases it).
 */
export async function returnPromotionFacts(
  trx: HqDb,
  ret: { saleId: string; lines: readonly { lineNo?: number | undefined; qty: number }[] },
): Promise<void> {
  const { rows } = await sql<{
    store_id: string;
    business_date: string;
    units: string | number;
    returned_units: string | number;
    promotion_ids: string[];
  }>`SELECT store_id, business_date::text AS business_date, units, returned_units, promotion_ids
       FROM promotion_sales WHERE sale_id = ${ret.saleId} FOR UPDATE`.execute(trx);
  const sale = rows[0];
  if (!sale) return;
  const off = new Map<string, { uses: number; discountMinor: number; units: number }>();
  const take = (promotionId: string) => {
    const o = off.get(promotionId) ?? { uses: 0, discountMinor: 0, units: 0 };
    off.set(promotionId, o);
    return o;
  };
  for (const l of ret.lines) {
    if (l.lineNo === undefined) continue;
    const { rows: lines } = await sql<{
      promotion_id: string;
      qty: string | number;
      discount_minor: string | number;
      returned_qty: string | number;
      returned_discount_minor: string | number;
    }>`SELECT promotion_id, qty, discount_minor, returned_qty, returned_discount_minor
         FROM promotion_sale_lines WHERE sale_id = ${ret.saleId} AND line_no = ${l.lineNo}
        ORDER BY promotion_id FOR UPDATE`.execute(trx);
    for (const pl of lines) {
      const share = returnedDiscountShare(
        {
          qty: Number(pl.qty),
          discountMinor: Number(pl.discount_minor),
          returnedQty: Number(pl.returned_qty),
          returnedDiscountMinor: Number(pl.returned_discount_minor),
        },
        l.qty,
      );
      if (share.qty === 0) continue;
      await sql`UPDATE promotion_sale_lines SET returned_qty = returned_qty + ${share.qty},
          returned_discount_minor = returned_discount_minor + ${share.discountMinor}
        WHERE sale_id = ${ret.saleId} AND line_no = ${l.lineNo} AND promotion_id = ${pl.promotion_id}`.execute(
        trx,
      );
      const o = take(pl.promotion_id);
      o.units += share.qty;
      o.discountMinor += share.discountMinor;
    }
  }
  const units = ret.lines.reduce((s, l) => s + l.qty, 0);
  const before = Number(sale.returned_units);
  const whole = Number(sale.units);
  await sql`UPDATE promotion_sales SET returned_units = returned_units + ${units}
    WHERE sale_id = ${ret.saleId}`.execute(trx);
  if (before < whole && before + units >= whole) for (const id of sale.promotion_ids) take(id).uses += 1;
  for (const [promotionId, o] of [...off].sort(([a], [b]) => (a < b ? -1 : 1)))
    await sql`UPDATE promotion_daily SET uses = uses - ${o.uses}, discount_minor = discount_minor - ${o.discountMinor},
        units = units - ${o.units}
      WHERE promotion_id = ${promotionId} AND store_id = ${sale.store_id}
        AND business_date = ${sale.business_date}::date`.execute(trx);
}
