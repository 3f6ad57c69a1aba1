import { z } from 'zod';
import { hqPoster } from '../../sync/till/index.ts';

/**
 * The till's line to HQ for loyalty: a customer's balance and tier, authorising a burn, giving one
 * back. Bounded by a timeout; an HQ that does not answer (or answers 5xx/401) is `unreachable`, which
 * the till treats as offline.
 */
export interface RemoteLoyaltyBalance {
  balancePoints: number;
  tier: string;
  tierMultiplierBp: number;
}

export type BurnAnswer =
  | { status: 'approved'; balancePoints: number }
  | { status: 'declined'; message: string };

export interface LoyaltyAuthority {
  balance(customerId: string): Promise<RemoteLoyaltyBalance>;
  burn(req: { authId: string; customerId: string; points: number }): Promise<BurnAnswer>;
  /** Throws LoyaltyRefused when HQ says it must not be given back (another till's, or final). */
  release(authId: string): Promise<void>;
}

export class LoyaltyRefused extends Error {
  override name = 'LoyaltyRefused';
}
export class LoyaltyUnreachable extends Error {
  override name = 'LoyaltyUnreachable';
}

const balanceSchema = z.object({
  balancePoints: z.number().int(),
  tier: z.string(),
  tierMultiplierBp: z.number().int(),
});
const approvedSchema = z.object({ balancePoints: z.number().int() });

export function hqLoyaltyClient(opts: {
  hqUrl: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}): LoyaltyAuthority {
  const post = hqPoster(opts, (m) => new LoyaltyUnreachable(m));
  const message = (b: unknown, status: number): string =>
    String((b as { message?: unknown } | null)?.message ?? `HQ answered ${status}`);
  return {
    async balance(customerId) {
      const r = await post('/loyalty/balance', { customerId });
      const ok = balanceSchema.safeParse(r.body);
      if (r.status !== 200 || !ok.success) throw new LoyaltyUnreachable(`HQ balance answered ${r.status}`);
      return ok.data;
    },
    async burn(req) {
      const r = await post('/loyalty/burns', req);
      const ok = approvedSchema.safeParse(r.body);
      if (r.status === 200 && ok.success) return { status: 'approved', balancePoints: ok.data.balancePoints };
      if (r.status === 402 || r.status === 400 || r.status === 403)
        return { status: 'declined', message: message(r.body, r.status) };
      throw new LoyaltyUnreachable(`HQ burn answered ${r.status}`);
    },
    async release(authId) {
      const r = await post(`/loyalty/burns/${authId}/release`, {});
      if (r.status === 403 || r.status === 409) throw new LoyaltyRefused(message(r.body, r.status));
      if (r.status !== 200 && r.status !== 404)
        throw new LoyaltyUnreachable(`HQ release answered ${r.status}`);
    },
  };
}
