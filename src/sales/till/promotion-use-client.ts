import { z } from 'zod';
import { hqPoster } from '../../sync/till/index.ts';

/**
 * The till's line to HQ for limited promotions: reserve a use as a sale completes, give it back when
 * the sale is not recorded. Every call is bounded by a timeout; an HQ that does not answer (or answers
 * 5xx or 401) is unreachable, which the till treats as offline (promotion-uses.ts).
 */
export type ReserveAnswer =
  | { status: 'reserved'; useId: string }
  | { status: 'refused'; reason: string; message: string };

export interface PromotionUseAuthority {
  reserve(req: {
    promotionId: string;
    cartId: string;
    customerId?: string | undefined;
    couponCode?: string | undefined;
  }): Promise<ReserveAnswer>;
  /** Gives a reservation back; an answer HQ will not change (403, 404, 409) is taken as done. */
  release(useId: string): Promise<void>;
}

export class UseAuthorityUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UseAuthorityUnreachable';
  }
}

const answerSchema = z.union([
  z.object({ status: z.literal('reserved'), useId: z.string() }),
  z.object({ status: z.literal('refused'), reason: z.string(), message: z.string() }),
]);

export function hqPromotionUseClient(opts: {
  hqUrl: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}): PromotionUseAuthority {
  const post = hqPoster(opts, (m) => new UseAuthorityUnreachable(m));
  return {
    async reserve(req) {
      const r = await post('/promotions/uses', req);
      const ok = answerSchema.safeParse(r.body);
      if (r.status === 200 && ok.success) return ok.data;
      // HQ does not know the promotion (published after this till's catalog, or retired): no use to count.
      if (r.status === 404)
        return { status: 'refused', reason: 'ended', message: `${req.promotionId}: not known at HQ` };
      throw new UseAuthorityUnreachable(`HQ reservation answered ${r.status}`);
    },
    async release(useId) {
      const r = await post(`/promotions/uses/${useId}/release`, {});
      if (r.status !== 200 && r.status !== 403 && r.status !== 404 && r.status !== 409)
        throw new UseAuthorityUnreachable(`HQ release answered ${r.status}`);
    },
  };
}
