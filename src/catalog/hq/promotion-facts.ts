import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';

/**
 * The promotions panel's facts (migration 0028), written by the sales projection: per promotion,
 * store and store-local business day the sales that used it, the discount it gave and the units it
 * discounted; and which products it touched, so their units can be compared with the days before.
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
