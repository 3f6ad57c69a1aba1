import { seededRandom } from '../core/random.ts';
import type { AuthorizeRequest, AuthorizeResult, PaymentProvider, RefundResult } from './provider.ts';

export type SimulatedOutcome = 'approve' | 'decline' | 'timeout';

export interface SimulatedProviderOptions {
  /** Fixed outcome, or a function of the request (for example: decline amounts ending in 51). */
  outcome?: SimulatedOutcome | ((req: AuthorizeRequest) => SimulatedOutcome);
  /** With no fixed outcome, the share of random declines and timeouts (0–1). */
  declineRate?: number;
  timeoutRate?: number;
  /** Simulated time at the reader; 0 answers at once. */
  latencyMs?: number;
  /** Same seed, same codes, tokens and random outcomes. */
  seed?: number;
  brand?: string;
  last4?: string;
  sleep?: (ms: number) => Promise<void>;
  /** Refuses refunds this says to fail (a closed card account, a processor outage mid-return). */
  refundFails?: (token: string, amountMinor: number) => boolean;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Stands in for a card reader and processor in development, tests and the demo. It behaves like one
 * from the till's side: the card never passes through the till, only a token and a masked number
 * come back. It also remembers what it approved, so refunds beyond the charge fail as they would.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = 'simulated';
  readonly authorizations: { token: string; amountMinor: number; refundedMinor: number }[] = [];
  private readonly random: () => number;
  private readonly opts: SimulatedProviderOptions;
  private counter = 0;

  constructor(opts: SimulatedProviderOptions = {}) {
    this.opts = opts;
    this.random = seededRandom(opts.seed ?? 1);
  }

  private pick(req: AuthorizeRequest): SimulatedOutcome {
    const { outcome } = this.opts;
    if (typeof outcome === 'function') return outcome(req);
    if (outcome) return outcome;
    const r = this.random();
    if (r < (this.opts.timeoutRate ?? 0)) return 'timeout';
    if (r < (this.opts.timeoutRate ?? 0) + (this.opts.declineRate ?? 0)) return 'decline';
    return 'approve';
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { status: 'declined', reason: 'invalid amount' };
    }
    const outcome = this.pick(req);
    const latency = this.opts.latencyMs ?? 0;
    if (latency > 0) await (this.opts.sleep ?? realSleep)(latency);
    if (outcome === 'timeout') return { status: 'timeout' };
    if (outcome === 'decline') return { status: 'declined', reason: 'card declined by issuer' };
    this.counter++;
    const code = Math.floor(this.random() * 1_000_000)
      .toString()
      .padStart(6, '0');
    const token = `sim_${this.counter.toString(36)}_${Math.floor(this.random() * 2 ** 32).toString(16)}`;
    this.authorizations.push({ token, amountMinor: req.amountMinor, refundedMinor: 0 });
    return {
      status: 'approved',
      approvalCode: code,
      token,
      maskedPan: `************${this.opts.last4 ?? '4242'}`,
      brand: this.opts.brand ?? 'visa',
    };
  }

  async refund(token: string, amountMinor: number): Promise<RefundResult> {
    const auth = this.authorizations.find((a) => a.token === token);
    if (!auth) return { status: 'failed', reason: 'unknown token' };
    if (this.opts.refundFails?.(token, amountMinor))
      return { status: 'failed', reason: 'card account closed' };
    if (amountMinor <= 0 || auth.refundedMinor + amountMinor > auth.amountMinor) {
      return { status: 'failed', reason: 'refund exceeds the remaining charge' };
    }
    auth.refundedMinor += amountMinor;
    return { status: 'refunded', refundId: `${token}_r${auth.refundedMinor}` };
  }
}
