import { z } from 'zod';
import { hqPoster } from '../../sync/till/index.ts';

/**
 * The till's line to HQ for gift cards and store credit: look an account up by the hash of its code,
 * authorise a redemption (with the code the customer presented, as proof of the card), give one back. Every call is bounded by a timeout; an HQ that does not
 * answer (or answers 5xx) is `unreachable`, which the till treats as offline.
 */
export interface RemoteAccount {
  accountId: string;
  kind: 'gift_card' | 'store_credit';
  last4: string;
  currency: string;
  balanceMinor: number;
}

const remoteAccountSchema = z.object({
  accountId: z.uuid(),
  kind: z.enum(['gift_card', 'store_credit']),
  last4: z.string(),
  currency: z.string().length(3),
  balanceMinor: z.number().int(),
});
const approvedSchema = z.object({ authId: z.string(), balanceMinor: z.number().int() });

export type AuthorizeAnswer =
  | { status: 'approved'; balanceMinor: number }
  | { status: 'declined'; message: string }
  | { status: 'unknown_account' };

export interface StoredValueAuthority {
  /** undefined when HQ does not know the code. */
  lookup(codeHash: string): Promise<RemoteAccount | undefined>;
  authorize(req: {
    authId: string;
    accountId: string;
    /** The code the customer presented: HQ redeems only for whoever holds the card. */
    code: string;
    amountMinor: number;
    currency: string;
  }): Promise<AuthorizeAnswer>;
  /** Throws AuthorityRefused when HQ says it must not be given back (another till's, or final). */
  reverse(authId: string): Promise<void>;
}

/** HQ answered and refused for good (403, 409): retrying changes nothing. */
export class AuthorityRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorityRefused';
  }
}

export class AuthorityUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorityUnreachable';
  }
}

export function hqStoredValueClient(opts: {
  hqUrl: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}): StoredValueAuthority {
  const post = hqPoster(opts, (m) => new AuthorityUnreachable(m));
  return {
    async lookup(codeHash) {
      const r = await post('/stored-value/lookup', { codeHash });
      if (r.status === 404) return undefined;
      const ok = remoteAccountSchema.safeParse(r.body);
      if (r.status !== 200 || !ok.success) throw new AuthorityUnreachable(`HQ lookup answered ${r.status}`);
      return ok.data;
    },
    async authorize(req) {
      const r = await post('/stored-value/redemptions', req);
      const ok = approvedSchema.safeParse(r.body);
      if (r.status === 200 && ok.success) return { status: 'approved', balanceMinor: ok.data.balanceMinor };
      if (r.status === 404) return { status: 'unknown_account' };
      if (r.status === 402 || r.status === 400 || r.status === 403)
        return { status: 'declined', message: String((r.body as { message?: unknown })?.message ?? '') };
      throw new AuthorityUnreachable(`HQ authorisation answered ${r.status}`);
    },
    async reverse(authId) {
      const r = await post(`/stored-value/redemptions/${authId}/reverse`, {});
      if (r.status === 403 || r.status === 409)
        throw new AuthorityRefused(
          String((r.body as { message?: unknown })?.message ?? `HQ answered ${r.status}`),
        );
      // HQ never heard of it (its answer was lost before the debit): nothing to give back.
      if (r.status !== 200 && r.status !== 404)
        throw new AuthorityUnreachable(`HQ reversal answered ${r.status}`);
    },
  };
}
