import type { Logger } from 'pino';
import { TallyError } from '../core/index.ts';
import type { CardAttempt, CardAttempts } from './attempts.ts';
import type { Approval, LookupResult, PaymentProvider, ReverseResult } from './provider.ts';

/**
 * Charging a card so that it is never charged twice and never charged without a record: each charge
 * is an attempt written durably before the reader is asked (attempts.ts), sent with an idempotency
 * key, and resolved by asking the processor when the answer is lost. A charge is only ever reported
 * as "nothing was charged" when the processor confirms it; otherwise it is voided, or, when even that
 * cannot be done, left open for the resolver and reported as unknown.
 */
export interface CardChargesDeps {
  provider: PaymentProvider;
  attempts: CardAttempts;
  logger: Logger;
  /** How long to wait for the reader (or the processor, for a lookup or a void). */
  timeoutMs: number;
  /** Runs `fn` in one ledger transaction (a voided charge and its ledger event commit together). */
  transaction<T>(fn: () => T): T;
  /** Appends the ledger event of a voided charge (payment.card_reversed); called inside `transaction`. */
  recordReversal(attempt: CardAttempt, reason: string): void;
}

export interface ChargedCard {
  attempt: CardAttempt;
  approval: Approval;
}

export interface ResolveReport {
  reversed: number;
  declined: number;
  /** Still open: the processor could not be reached; tried again on the next round. */
  open: number;
}

const TIMED_OUT = Symbol('timed out');

/** Bounds a call to the reader; the timer never keeps the process alive on its own. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function cardCharges(deps: CardChargesDeps) {
  const { provider, attempts, logger, timeoutMs } = deps;

  const lookup = async (a: CardAttempt): Promise<LookupResult | 'unreachable'> => {
    try {
      const r = await within(provider.lookup(a.idempotencyKey), timeoutMs);
      return r === TIMED_OUT ? 'unreachable' : r;
    } catch (err) {
      logger.warn({ attemptId: a.attemptId, err: String(err) }, 'card processor lookup failed');
      return 'unreachable';
    }
  };

  const voidAt = async (a: CardAttempt): Promise<ReverseResult | 'unreachable'> => {
    try {
      const r = await within(provider.reverse(a.idempotencyKey), timeoutMs);
      return r === TIMED_OUT ? 'unreachable' : r;
    } catch (err) {
      logger.warn({ attemptId: a.attemptId, err: String(err) }, 'card processor void failed');
      return 'unreachable';
    }
  };

  const markReversed = (a: CardAttempt, reason: string): void => {
    deps.transaction(() => {
      const now = attempts.mark(a.attemptId, 'reversed');
      deps.recordReversal(now, reason);
    });
    logger.warn(
      { attemptId: a.attemptId, cartId: a.cartId, amountMinor: a.amountMinor, reason },
      'card charge voided',
    );
  };

  /**
   * Voids an open attempt that no record will use. true: settled (voided, or the processor confirms
   * nothing was charged); false: the processor could not be reached and the attempt stays open.
   */
  const release = async (a: CardAttempt, reason: string): Promise<boolean> => {
    let current = a;
    if (current.state !== 'approved') {
      const found = await lookup(current);
      if (found !== 'unreachable') {
        if (found.status === 'approved') current = attempts.approve(current.attemptId, found);
        else if (found.status === 'reversed') {
          markReversed(current, reason);
          return true;
        }
      }
    }
    const r = await voidAt(current);
    if (r !== 'unreachable' && r.status === 'reversed') {
      markReversed(current, reason);
      return true;
    }
    if (r !== 'unreachable' && r.status === 'not_found') {
      // The processor holds nothing under this key (and will refuse it from now on): nothing was charged.
      attempts.mark(current.attemptId, 'declined');
      return true;
    }
    if (current.state !== 'approved') attempts.mark(current.attemptId, 'unknown');
    // A charge we could not void is money the customer paid for nothing: shout, and try again later.
    logger.error(
      {
        attemptId: current.attemptId,
        amountMinor: current.amountMinor,
        reason,
        why: r === 'unreachable' ? 'unreachable' : r.reason,
      },
      'card charge could not be voided yet; retried by the resolver',
    );
    return false;
  };

  const unresolved = (field: string): TallyError =>
    new TallyError(
      'unavailable',
      `${field}: the card reader did not answer and the processor cannot be reached, so whether the card was charged is not known yet; do not take another payment for it — retry to check again (an unused charge is voided automatically)`,
      field,
    );
  const declined = (field: string, why: string): TallyError =>
    new TallyError('payment_declined', `${field}: ${why}; the cart is still open`, field);

  /** After a lost answer: the processor says what happened, or the charge is voided, or it stays unknown. */
  const settleLostAnswer = async (a: CardAttempt, field: string): Promise<ChargedCard> => {
    const found = await lookup(a);
    if (found !== 'unreachable' && found.status === 'approved') {
      logger.info({ attemptId: a.attemptId }, 'card reader timed out but the processor approved: using it');
      return { attempt: attempts.approve(a.attemptId, found), approval: found };
    }
    if (found !== 'unreachable' && found.status === 'reversed') {
      markReversed(a, 'the card reader timed out');
      throw declined(field, 'the card reader timed out; the charge it made was voided');
    }
    // Not found (or unreachable): void the key, so an approval still on its way cannot land later.
    const r = await voidAt(a);
    if (r !== 'unreachable' && r.status === 'reversed') {
      markReversed(a, 'the card reader timed out');
      throw declined(field, 'the card reader timed out; the charge it made was voided');
    }
    if (r !== 'unreachable' && r.status === 'not_found') {
      attempts.mark(a.attemptId, 'declined');
      throw declined(field, 'the card reader timed out; the processor confirms nothing was charged');
    }
    attempts.mark(a.attemptId, 'unknown');
    throw unresolved(field);
  };

  /**
   * Charges one card tender of a cart, or gives back the approval a previous try of the same tender
   * left open (a retried "complete" never charges twice). Throws 402 when declined or confirmed
   * uncharged, 503 when the outcome cannot be known yet.
   */
  const charge = async (input: {
    cartId: string;
    tenderIndex: number;
    amountMinor: number;
    currency: string;
    field: string;
  }): Promise<ChargedCard> => {
    const { cartId, tenderIndex, amountMinor, currency, field } = input;
    let a = attempts.open(cartId, tenderIndex);
    if (a && (a.amountMinor !== amountMinor || a.currency !== currency)) {
      if (!(await release(a, 'the amount of this card tender changed'))) throw unresolved(field);
      a = undefined;
    }
    if (a?.state === 'approved' && a.approval) {
      logger.info({ attemptId: a.attemptId, cartId }, 'reusing the approval of an earlier try');
      return { attempt: a, approval: a.approval };
    }
    if (a) {
      // A try that did not finish (killed, or the answer lost): ask before asking to charge.
      const found = await lookup(a);
      if (found !== 'unreachable' && found.status === 'approved')
        return { attempt: attempts.approve(a.attemptId, found), approval: found };
      if (found !== 'unreachable' && (found.status === 'reversed' || found.status === 'declined')) {
        if (found.status === 'reversed') markReversed(a, 'voided before this try');
        else attempts.mark(a.attemptId, 'declined');
        a = undefined;
      }
      // not_found or unreachable: asking again under the same key cannot charge twice.
    }
    a ??= attempts.begin({ cartId, tenderIndex, amountMinor, currency, provider: provider.name });
    let r: Awaited<ReturnType<PaymentProvider['authorize']>> | typeof TIMED_OUT;
    try {
      r = await within(
        provider.authorize({ amountMinor, currency, reference: cartId, idempotencyKey: a.idempotencyKey }),
        timeoutMs,
      );
    } catch (err) {
      logger.error({ err, attemptId: a.attemptId }, 'card reader failed');
      r = TIMED_OUT;
    }
    if (r !== TIMED_OUT && r.status === 'approved')
      return { attempt: attempts.approve(a.attemptId, r), approval: r };
    if (r !== TIMED_OUT && r.status === 'declined') {
      attempts.mark(a.attemptId, 'declined');
      logger.info({ cartId, amountMinor, reason: r.reason }, 'card declined');
      throw declined(field, `card declined: ${r.reason}; nothing was charged`);
    }
    logger.warn({ cartId, attemptId: a.attemptId }, 'card reader did not answer; asking the processor');
    return settleLostAnswer(a, field);
  };

  /**
   * Settles every open attempt that no payment in flight owns (`paying`: carts being paid): a till that
   * stopped between an approval and its sale voids the charge (the cart, if still there, is paid again
   * by a new attempt). Run at start and periodically; an unreachable processor leaves the attempt for
   * the next round.
   */
  const resolveOpen = async (paying: Set<string>): Promise<ResolveReport> => {
    const report: ResolveReport = { reversed: 0, declined: 0, open: 0 };
    for (const a of attempts.unresolved()) {
      if (paying.has(a.cartId)) continue;
      // Claimed like a payment: a cashier retrying this cart meanwhile gets "already being paid", not an
      // approval that is being voided under the sale.
      paying.add(a.cartId);
      let settled: boolean;
      try {
        settled = await release(a, 'the payment was not completed (till stopped or sale not recorded)');
      } finally {
        paying.delete(a.cartId);
      }
      const after = attempts.byId(a.attemptId);
      if (!settled) report.open++;
      else if (after?.state === 'reversed') report.reversed++;
      else report.declined++;
    }
    if (report.reversed + report.declined + report.open > 0)
      logger.info(report, 'open card payments resolved');
    return report;
  };

  return { charge, release, resolveOpen };
}

export type CardCharges = ReturnType<typeof cardCharges>;
