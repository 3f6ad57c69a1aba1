import {
  addPromotionFacts,
  addPromotionSales,
  type PromotionDayFact,
  type PromotionSaleFact,
  recordPromotionUses,
  releaseCartUses,
  returnPromotionFacts,
  returnPromotionUnits,
  type UseFact,
} from '../../catalog/hq/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { checkedAdd } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { Projection } from '../../sync/index.ts';
import { SALES_EVENT_TYPES, type SaleCompleted, type SaleReturned, type SaleVoided } from '../events.ts';

/**
 * What sales events tell the promotion ledger (catalog/hq/promotion-uses.ts) and the promotions
 * panel: a completed sale confirms the uses its till reserved (or counts the ones it gave offline), a
 * return of all its units gives them back, a voided cart releases what it still held; and per
 * promotion, store and day, the uses, discount and discounted units, which a return takes back.
 */
export interface PromotionEffects {
  uses: UseFact[];
  returns: {
    returnId: string;
    saleId: string;
    units: number;
    /** The returned lines by their line on the sale (absent without one). */
    lines: { lineNo: number | undefined; qty: number }[];
  }[];
  /** Sales that used a promotion, kept so a later return finds what to take off. */
  sales: PromotionSaleFact[];
  voided: { cartId: string; terminalId: string }[];
  days: PromotionDayFact[];
  skus: { promotionId: string; sku: string }[];
}

export function promotionEffectsOf(events: readonly EventEnvelope[]): PromotionEffects {
  const out: PromotionEffects = { uses: [], returns: [], voided: [], days: [], skus: [], sales: [] };
  const days = new Map<string, PromotionDayFact>();
  const skus = new Set<string>();
  for (const e of events) {
    if (e.type === SALES_EVENT_TYPES.saleCompleted) {
      const p = e.payload as SaleCompleted;
      if (!p.promotions?.length) continue;
      const units = p.lines.reduce((s, l) => s + l.qty, 0);
      const kept: PromotionSaleFact = {
        saleId: p.saleId,
        storeId: e.storeId,
        businessDate: e.businessDate,
        units,
        promotionIds: [...new Set(p.promotions.map((a) => a.promotionId))].sort(),
        lines: [],
      };
      out.sales.push(kept);
      for (const a of p.promotions) {
        if (a.useId || a.offlineUse)
          out.uses.push({
            promotionId: a.promotionId,
            saleId: p.saleId,
            useId: a.useId,
            terminalId: e.terminalId,
            storeId: e.storeId,
            customerId: p.customerId,
            couponCode: a.couponCode,
            units,
          });
        const key = `${a.promotionId}\u0000${e.storeId}\u0000${e.businessDate}`;
        let d = days.get(key);
        if (!d) {
          d = {
            promotionId: a.promotionId,
            storeId: e.storeId,
            businessDate: e.businessDate,
            uses: 0,
            discountMinor: 0,
            units: 0,
          };
          days.set(key, d);
        }
        d.uses += 1;
        d.discountMinor = checkedAdd(d.discountMinor, a.amountMinor);
        for (const l of p.lines) {
          const given = (l.discounts ?? []).filter(
            (x) => x.promotionId === a.promotionId && x.amountMinor > 0,
          );
          if (given.length === 0) continue;
          d.units = checkedAdd(d.units, l.qty);
          skus.add(`${a.promotionId}\u0000${l.sku}`);
          if (!kept.lines.some((k) => k.lineNo === l.lineNo && k.promotionId === a.promotionId))
            kept.lines.push({
              lineNo: l.lineNo,
              promotionId: a.promotionId,
              qty: l.qty,
              discountMinor: given.reduce((sum, x) => checkedAdd(sum, x.amountMinor), 0),
            });
        }
      }
    } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
      const p = e.payload as SaleReturned;
      if (p.originalSaleId)
        out.returns.push({
          returnId: p.returnId,
          saleId: p.originalSaleId,
          units: p.lines.reduce((s, l) => s + l.qty, 0),
          lines: p.lines.map((l) => ({ lineNo: l.originalLineNo, qty: l.qty })),
        });
    } else if (e.type === SALES_EVENT_TYPES.saleVoided) {
      out.voided.push({ cartId: (e.payload as SaleVoided).cartId, terminalId: e.terminalId });
    }
  }
  out.days = [...days.values()];
  out.skus = [...skus].sort().map((k) => {
    const [promotionId, sku] = k.split('\u0000') as [string, string];
    return { promotionId, sku };
  });
  return out;
}

async function applyPromotionUses(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  const fx = promotionEffectsOf(events);
  if (fx.uses.length > 0) await recordPromotionUses(trx, fx.uses);
  for (const r of fx.returns) await returnPromotionUnits(trx, r);
  for (const v of fx.voided) await releaseCartUses(trx, v.cartId, v.terminalId);
}

async function applyPromotionFacts(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  const fx = promotionEffectsOf(events);
  await addPromotionFacts(trx, fx.days, fx.skus);
  // The batch's sales before its returns: a sale and its return may arrive together.
  await addPromotionSales(trx, fx.sales);
  for (const r of fx.returns) await returnPromotionFacts(trx, r);
}

/** The ledger of record, not a view: a rebuild keeps it, and replaying finds every use counted. */
export const promotionUsesProjection: Projection = {
  name: 'promotion uses',
  tables: [],
  apply: applyPromotionUses,
};

/** The panel's facts: a rebuild empties and replays them. */
export const promotionFactsProjection: Projection = {
  name: 'promotion facts',
  tables: ['promotion_daily', 'promotion_skus', 'promotion_sales', 'promotion_sale_lines'],
  apply: applyPromotionFacts,
};
