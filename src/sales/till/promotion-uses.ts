import type { Logger } from 'pino';
import { conflict } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';
import {
  countedLimitsOf,
  offlineAllowance,
  type Promotion,
  type PromotionBook,
} from '../../pricing/index.ts';
import type { Cart, CartView, RefusedPromotion } from './cart.ts';
import { type PromotionUseAuthority, UseAuthorityUnreachable } from './promotion-use-client.ts';

/**
 * Limited promotions at checkout: before a sale commits, the till asks HQ for one use of each limited
 * promotion the cart applies (HQ keeps the count of record; catalog/hq/promotion-uses.ts). A refusal
 * re-prices the cart without that promotion and stops the checkout with a message naming it, so no
 * sale completes at a price HQ would not give. When HQ cannot be reached the till gives up to the
 * promotion's `offlinePerTill` uses and marks them `offlineUse` on the sale for HQ to count.
 */

/** How the sale records a use: HQ's reservation, or given offline. */
export type UseMark = { useId: string } | { offlineUse: true };

export interface ReservedUses {
  /** The sale event's fields for a promotion (nothing for one without limits). */
  mark(promotionId: string): UseMark | Record<string, never>;
  /** In the sale's transaction: counts the offline uses against this till's allowance. */
  commit(): void;
  /** The sale was not recorded: gives HQ back what it reserved (owed for later when HQ is away). */
  release(): Promise<void>;
}

const NOTHING: ReservedUses = { mark: () => ({}), commit: () => {}, release: async () => {} };

export interface PromotionUses {
  reserve(cart: Cart, view: CartView): Promise<ReservedUses>;
}

export function createPromotionUses(opts: {
  db: SqliteDb;
  now: () => Date;
  logger: Logger;
  authority?: PromotionUseAuthority | undefined;
  /** The store's promotions as the till has them (the book the cart was priced with). */
  book: () => PromotionBook | undefined;
  saveCart: (cart: Cart) => void;
}): PromotionUses {
  const { db, authority, logger } = opts;
  const q = {
    offlineUses: db.prepare('SELECT uses FROM promotion_offline_uses WHERE promotion_id = ?').pluck(),
    addOffline: db.prepare(
      `INSERT INTO promotion_offline_uses (promotion_id, uses, updated_at) VALUES (?, 1, ?)
       ON CONFLICT (promotion_id) DO UPDATE SET uses = uses + 1, updated_at = excluded.updated_at`,
    ),
    heard: db.prepare('DELETE FROM promotion_offline_uses WHERE promotion_id = ?'),
    owed: db.prepare('SELECT use_id FROM promotion_use_releases ORDER BY created_at').pluck(),
    owe: db.prepare('INSERT OR IGNORE INTO promotion_use_releases (use_id, created_at) VALUES (?, ?)'),
    paid: db.prepare('DELETE FROM promotion_use_releases WHERE use_id = ?'),
  };

  const limitedOf = (view: CartView): Promotion[] => {
    if (!authority || view.promotions.length === 0) return [];
    const byId = new Map((opts.book()?.promotions ?? []).map((cp) => [cp.p.id, cp.p]));
    return view.promotions.flatMap((a) => {
      const p = byId.get(a.promotionId);
      return p && countedLimitsOf(p) ? [p] : [];
    });
  };

  const release = async (useIds: readonly string[]): Promise<void> => {
    for (const useId of useIds) {
      try {
        await authority!.release(useId);
        q.paid.run(useId);
      } catch (err) {
        q.owe.run(useId, opts.now().toISOString());
        logger.warn({ useId, err: String(err) }, 'promotion use not given back yet; HQ lets it expire');
      }
    }
  };

  const settleOwed = async (): Promise<void> => {
    const owed = q.owed.all() as string[];
    if (owed.length > 0) await release(owed);
  };

  return {
    async reserve(cart, view) {
      const limited = limitedOf(view);
      if (limited.length === 0) return NOTHING;
      const applied = new Map(view.promotions.map((a) => [a.promotionId, a]));
      const marks = new Map<string, UseMark>();
      const refused: RefusedPromotion[] = [];
      let reached = false;
      for (const p of limited) {
        try {
          const answer = await authority!.reserve({
            promotionId: p.id,
            cartId: cart.id,
            customerId: cart.customerId,
            couponCode: applied.get(p.id)?.couponCode,
          });
          reached = true;
          q.heard.run(p.id);
          if (answer.status === 'reserved') marks.set(p.id, { useId: answer.useId });
          else refused.push({ promotionId: p.id, message: answer.message });
        } catch (err) {
          if (!(err instanceof UseAuthorityUnreachable)) throw err;
          const given = (q.offlineUses.get(p.id) as number | undefined) ?? 0;
          const allowance = offlineAllowance(p);
          if (given < allowance) marks.set(p.id, { offlineUse: true });
          else
            refused.push({
              promotionId: p.id,
              message: `${p.name}: HQ cannot be reached and this till has given the ${allowance} offline ${allowance === 1 ? 'use' : 'uses'} it may`,
            });
        }
      }
      const reservedIds = [...marks.values()].flatMap((m) => ('useId' in m ? [m.useId] : []));
      if (refused.length > 0) {
        // What was reserved may not apply to the re-priced cart: give it back; the retry asks again.
        await release(reservedIds);
        opts.saveCart({ ...cart, refusedPromotions: [...(cart.refusedPromotions ?? []), ...refused] });
        throw conflict(
          `${refused.map((r) => r.message).join('; ')}. The cart was priced again without it: take payment for the new total`,
          'promotions',
        );
      }
      if (reached) await settleOwed();
      return {
        mark: (id) => marks.get(id) ?? {},
        commit() {
          const at = opts.now().toISOString();
          for (const [id, m] of marks) if ('offlineUse' in m) q.addOffline.run(id, at);
        },
        release: () => release(reservedIds),
      };
    },
  };
}
