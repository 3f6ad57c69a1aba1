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
  /** Of the event ids the till asked about, those HQ's ledger already shows. */
  applied?: string[] | undefined;
}

export type BurnAnswer =
  | { status: 'approved'; balancePoints: number; applied?: string[] | undefined }
  | { status: 'declined'; message: string };

export interface LoyaltyAuthority {
  /** `pending`: this till's loyalty events HQ may not have applied yet; the answer says which it has. */
  balance(customerId: string, pending?: readonly string[]): Promise<RemoteLoyaltyBalance>;
  burn(req: {
    authId: string;
    customerId: string;
    points: number;
    pending?: readonly string[] | undefined;
  }): Promise<BurnAnswer>;
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
  applied: z.array(z.string()).optional(),
});
const approvedSchema = z.object({ balancePoints: z.number().int(), applied: z.array(z.string()).optional() });

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
    async balance(customerId, pending = []) {
      const r = await post('/loyalty/balance', { customerId, ...(pending.length ? { pending } : {}) });
      const ok = balanceSchema.safeParse(r.body);
      if (r.status !== 200 || !ok.success) throw new LoyaltyUnreachable(`HQ balance answered ${r.status}`);
      return ok.data;
    },
    async burn(req) {
      const r = await post('/loyalty/burns', req);
      const ok = approvedSchema.safeParse(r.body);
      if (r.status === 200 && ok.success)
        return { status: 'approved', balancePoints: ok.data.balancePoints, applied: ok.data.applied };
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
