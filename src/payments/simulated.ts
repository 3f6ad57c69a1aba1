import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { newId, seededRandom } from '../core/index.ts';
import type {
  Approval,
  AuthorizeRequest,
  AuthorizeResult,
  LookupResult,
  PaymentProvider,
  RefundResult,
  ReverseResult,
} from './provider.ts';

/** `approve_then_timeout`: the processor charges the card but its answer never reaches the till. */
export type SimulatedOutcome = 'approve' | 'decline' | 'timeout' | 'approve_then_timeout';

export interface SimulatedProviderOptions {
  /** Fixed outcome, or a function of the request (for example: decline amounts ending in 51). */
  outcome?: SimulatedOutcome | ((req: AuthorizeRequest) => SimulatedOutcome);
  /** With no fixed outcome, the share of random declines and timeouts (0–1). */
  declineRate?: number;
  timeoutRate?: number;
  /** Simulated time at the reader; 0 answers at once. */
  latencyMs?: number;
  /** Same seed, same approval codes and random outcomes (tokens are unique every time). */
  seed?: number;
  brand?: string;
  last4?: string;
  sleep?: (ms: number) => Promise<void>;
  /** Refuses refunds this says to fail (a closed card account, a processor outage mid-return). */
  refundFails?: (token: string, amountMinor: number) => boolean;
  /**
   * Where the processor's memory lives, so approvals (and their tokens) survive a till restart as they
   * would at a real processor. Without it the memory ends with the process.
   */
  stateFile?: string;
  /** While this says so, every call throws as if the processor could not be reached. */
  unreachable?: () => boolean;
  /**
   * Called once an approval is recorded and before the till hears of it: tests use it to kill the
   * till in the worst moment (`tally terminal` SIGKILLs itself here when TALLY_TEST_CRASH_AFTER_CARD_APPROVAL=1).
   */
  afterApproval?: () => void | Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const recordSchema = z.object({
  key: z.string(),
  amountMinor: z.number().int(),
  refundedMinor: z.number().int(),
  /** `cancelled`: voided before any approval; the key is refused from then on (a late answer cannot land). */
  status: z.enum(['approved', 'reversed', 'declined', 'cancelled']),
  reason: z.string().optional(),
  approvalCode: z.string(),
  token: z.string(),
  maskedPan: z.string(),
  brand: z.string(),
});
type ChargeRecord = z.infer<typeof recordSchema>;

/**
 * Stands in for a card reader and processor in development, tests and the demo. It behaves like one
 * from the till's side: the card never passes through the till, only a token and a masked number come
 * back; one idempotency key charges at most once; it remembers what it approved (on disk when given a
 * `stateFile`), so lookups, voids and refunds work after a restart and tokens never repeat.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = 'simulated';
  private readonly records = new Map<string, ChargeRecord>();
  private readonly random: () => number;
  private readonly opts: SimulatedProviderOptions;
  private readonly afterApproval: (() => void | Promise<void>) | undefined;

  constructor(opts: SimulatedProviderOptions = {}) {
    this.opts = opts;
    this.random = seededRandom(opts.seed ?? 1);
    this.afterApproval = opts.afterApproval;
    if (opts.stateFile && existsSync(opts.stateFile)) {
      const saved = z.array(recordSchema).parse(JSON.parse(readFileSync(opts.stateFile, 'utf8')));
      for (const r of saved) this.records.set(r.key, r);
    }
  }

  /** What the processor holds: every approval it made, voided or not (for tests and the demo). */
  get authorizations(): ChargeRecord[] {
    return [...this.records.values()].filter((r) => r.status === 'approved' || r.status === 'reversed');
  }

  /** Approvals still charged (not voided): what the customer's statement would show. */
  charges(): ChargeRecord[] {
    return [...this.records.values()].filter((r) => r.status === 'approved');
  }

  private reachable(): void {
    if (this.opts.unreachable?.()) throw new Error('card processor unreachable');
  }

  /** Written and fsynced before answering: what the processor said, it must still know after a crash. */
  private save(): void {
    const file = this.opts.stateFile;
    if (!file) return;
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify([...this.records.values()]));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
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

  private blank(key: string): ChargeRecord {
    return {
      key,
      amountMinor: 0,
      refundedMinor: 0,
      status: 'cancelled',
      approvalCode: '',
      token: '',
      maskedPan: '',
      brand: '',
    };
  }

  private approval(r: ChargeRecord): Approval {
    return { approvalCode: r.approvalCode, token: r.token, maskedPan: r.maskedPan, brand: r.brand };
  }

  /** A processor answers a repeated key with the first result and never charges again. */
  private repeated(key: string): AuthorizeResult | undefined {
    const seen = this.records.get(key);
    if (!seen) return undefined;
    if (seen.status === 'declined') return { status: 'declined', reason: seen.reason ?? 'declined' };
    if (seen.status === 'reversed' || seen.status === 'cancelled')
      return { status: 'declined', reason: 'this authorisation was voided' };
    return { status: 'approved', ...this.approval(seen) };
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    this.reachable();
    const first = this.repeated(req.idempotencyKey);
    if (first) return first;
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { status: 'declined', reason: 'invalid amount' };
    }
    const outcome = this.pick(req);
    const latency = this.opts.latencyMs ?? 0;
    if (latency > 0) await (this.opts.sleep ?? realSleep)(latency);
    // Voided (or answered) while the reader worked: the first word on a key stands.
    const meanwhile = this.repeated(req.idempotencyKey);
    if (meanwhile) return meanwhile;
    if (outcome === 'timeout') return { status: 'timeout' };
    const record: ChargeRecord = {
      key: req.idempotencyKey,
      amountMinor: req.amountMinor,
      refundedMinor: 0,
      status: outcome === 'decline' ? 'declined' : 'approved',
      ...(outcome === 'decline' ? { reason: 'card declined by issuer' } : {}),
      approvalCode: Math.floor(this.random() * 1_000_000)
        .toString()
        .padStart(6, '0'),
      // A UUIDv7 per approval: unique across restarts, unlike a counter that starts again at 1.
      token: `sim_${newId()}`,
      maskedPan: `************${this.opts.last4 ?? '4242'}`,
      brand: this.opts.brand ?? 'visa',
    };
    this.records.set(record.key, record);
    this.save();
    if (record.status === 'declined') return { status: 'declined', reason: record.reason ?? 'declined' };
    await this.afterApproval?.();
    if (outcome === 'approve_then_timeout') return { status: 'timeout' };
    return { status: 'approved', ...this.approval(record) };
  }

  async lookup(idempotencyKey: string): Promise<LookupResult> {
    this.reachable();
    const r = this.records.get(idempotencyKey);
    if (!r) return { status: 'not_found' };
    if (r.status === 'declined') return { status: 'declined', reason: r.reason ?? 'declined' };
    if (r.status === 'cancelled') return { status: 'declined', reason: 'voided before approval' };
    if (r.status === 'reversed') return { status: 'reversed', amountMinor: r.amountMinor };
    return { status: 'approved', amountMinor: r.amountMinor, ...this.approval(r) };
  }

  async reverse(idempotencyKey: string): Promise<ReverseResult> {
    this.reachable();
    const r = this.records.get(idempotencyKey);
    if (!r) {
      // A technical cancel of a key never seen: remember it, so the charge cannot arrive afterwards.
      this.records.set(idempotencyKey, { ...this.blank(idempotencyKey), status: 'cancelled' });
      this.save();
      return { status: 'not_found' };
    }
    if (r.status === 'declined' || r.status === 'cancelled') return { status: 'not_found' };
    if (r.status === 'approved' && r.refundedMinor > 0)
      return { status: 'failed', reason: 'partly refunded; refund the rest instead' };
    r.status = 'reversed';
    this.save();
    return { status: 'reversed' };
  }

  async refund(token: string, amountMinor: number): Promise<RefundResult> {
    this.reachable();
    const auth = [...this.records.values()].find((a) => a.token === token && a.status === 'approved');
    if (!auth) return { status: 'failed', reason: 'unknown token' };
    if (this.opts.refundFails?.(token, amountMinor))
      return { status: 'failed', reason: 'card account closed' };
    if (amountMinor <= 0 || auth.refundedMinor + amountMinor > auth.amountMinor) {
      return { status: 'failed', reason: 'refund exceeds the remaining charge' };
    }
    auth.refundedMinor += amountMinor;
    this.save();
    // Its own id: a refund reference that embedded the token would hand the token out on every slip.
    return { status: 'refunded', refundId: `simr_${newId()}` };
  }
}
