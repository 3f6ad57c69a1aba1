import Database from 'better-sqlite3';
import fc from 'fast-check';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cornerShopConfig,
  cornerShopItems,
  openTestTill,
  removeTestTills,
} from '../../../test/fixtures/till.ts';
import { type SimulatedOutcome, SimulatedProvider } from '../../payments/simulated.ts';
import type { SaleCompleted } from '../events.ts';
import { createRegister, type Register } from './register.ts';

/**
 * Card payments against the worst timing: answers lost after the processor approved, a processor that
 * cannot be reached, a till killed between the approval and the sale. Whatever happens, the customer
 * is charged once per card tender the ledger records, and never for a sale that does not exist.
 */
afterEach(removeTestTills);

type Step = SimulatedOutcome | 'kill';

/** A card reader the test steers: the next outcome, whether the processor answers, a kill after approving. */
function steeredReader() {
  const s = {
    next: 'approve' as Step,
    down: false,
    /** With wrapThenDown: the processor goes dark once the reader has answered. */
    downAfter: true,
    killed: undefined as (() => void) | undefined,
  };
  const provider = new SimulatedProvider({
    outcome: () => (s.next === 'kill' ? 'approve' : s.next),
    unreachable: () => s.down,
    // A killed till never hears the answer and runs nothing more: the promise simply never settles.
    afterApproval: () =>
      s.next === 'kill'
        ? new Promise<void>(() => {
            s.killed?.();
          })
        : undefined,
  });
  return { s, provider };
}

function tillWith(provider: SimulatedProvider) {
  const till = openTestTill(cornerShopConfig(), provider);
  till.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
  /** The till started again on the same ledger.db, as after a crash (nothing in memory survives). */
  const restart = (): Register =>
    createRegister({
      ledger: till.ledger,
      items: cornerShopItems,
      provider,
      clock: till.clock,
      logger: pino({ level: 'silent' }),
      config: cornerShopConfig(),
      // The killed register's wait for the reader must never end inside the test.
      authorizeTimeoutMs: 2 ** 31 - 1,
    });
  const cardTenders = () =>
    (till.db.prepare("SELECT payload FROM ledger WHERE type = 'sale.completed'").pluck().all() as string[])
      .flatMap((p) => (JSON.parse(p) as SaleCompleted).tenders)
      .filter((t) => t.kind === 'card');
  const types = () => till.db.prepare('SELECT type FROM ledger ORDER BY seq').pluck().all() as string[];
  return { ...till, restart, cardTenders, types };
}

const cartOfWine = (register: Register): string => {
  const c = register.createCart();
  register.addLine(c.id, 'WINE', 1);
  return c.id;
};
const card = [{ kind: 'card' as const, amountMinor: 899 }];

describe('card payments that go wrong at the worst moment', () => {
  it('a card approved whose answer was lost is found by asking the processor, and goes into the sale once', async () => {
    const { s, provider } = steeredReader();
    const t = tillWith(provider);
    s.next = 'approve_then_timeout';
    const sale = await t.register.complete(cartOfWine(t.register), card);
    expect(sale.tenders).toHaveLength(1);
    expect(provider.charges()).toHaveLength(1);
    expect(t.cardTenders().map((c) => c.token)).toEqual(provider.charges().map((c) => c.token));
  });

  it('a reader that times out without charging says so only because the processor confirms it', async () => {
    const { s, provider } = steeredReader();
    const t = tillWith(provider);
    s.next = 'timeout';
    await expect(t.register.complete(cartOfWine(t.register), card)).rejects.toMatchObject({
      status: 402,
      message: expect.stringContaining('the processor confirms nothing was charged'),
    });
    expect(provider.charges()).toHaveLength(0);
  });

  it('with the processor unreachable after a lost answer, the till says the outcome is unknown, and the retry sells with that one charge', async () => {
    const { s, provider } = steeredReader();
    const t = tillWith(provider);
    const cartId = cartOfWine(t.register);
    s.next = 'approve_then_timeout';
    provider.authorize = wrapThenDown(provider, s);
    await expect(t.register.complete(cartId, card)).rejects.toMatchObject({
      status: 503,
      field: 'tenders',
      message: expect.stringContaining('do not take another payment'),
    });
    s.down = false;
    s.next = 'approve';
    const sale = await t.register.complete(cartId, card);
    expect(provider.charges()).toHaveLength(1);
    expect(sale.tenders[0]).toMatchObject({ kind: 'card', token: provider.charges()[0]?.token });
  });

  it('a till killed after the approval voids the charge when it starts again (on the X report); the retry charges once and sells', async () => {
    const { s, provider } = steeredReader();
    const t = tillWith(provider);
    const cartId = cartOfWine(t.register);
    s.next = 'kill';
    const killed = new Promise<void>((r) => {
      s.killed = r;
    });
    void t.register.complete(cartId, card);
    await killed;
    expect(provider.charges()).toHaveLength(1);
    const again = t.restart();
    expect(await again.settleCardPayments()).toEqual({ reversed: 1, declined: 0, open: 0 });
    expect(provider.charges()).toHaveLength(0);
    expect(t.types()).toEqual(['shift.opened', 'payment.card_reversed']);
    expect(again.xReport().cardReversals).toEqual({ count: 1, totalMinor: 899 });
    s.next = 'approve';
    await again.complete(cartId, card);
    expect(provider.charges()).toHaveLength(1);
    expect(t.cardTenders().map((c) => c.token)).toEqual(provider.charges().map((c) => c.token));
  });

  it('a gift card paid by card whose answer was lost is sold once with that charge; one killed mid-payment is voided at restart', async () => {
    const { s, provider } = steeredReader();
    const t = tillWith(provider);
    s.next = 'approve_then_timeout';
    const sold = await t.register.sellGiftCard({
      amountMinor: 2_000,
      tenders: [{ kind: 'card', amountMinor: 2_000 }],
      load: false,
    });
    expect(sold.tenders).toEqual([
      expect.objectContaining({ kind: 'card', token: provider.charges()[0]?.token }),
    ]);
    s.next = 'kill';
    const killed = new Promise<void>((r) => {
      s.killed = r;
    });
    void t.register.sellGiftCard({
      amountMinor: 500,
      tenders: [{ kind: 'card', amountMinor: 500 }],
      load: false,
    });
    await killed;
    expect(provider.charges()).toHaveLength(2);
    expect(await t.restart().settleCardPayments()).toEqual({ reversed: 1, declined: 0, open: 0 });
    expect(provider.charges().map((c) => c.token)).toEqual([
      sold.tenders[0]?.kind === 'card' ? sold.tenders[0].token : '',
    ]);
  });

  it('the attempt is committed to the ledger file before the reader is asked', async () => {
    const { provider } = steeredReader();
    const t = tillWith(provider);
    const seen: string[] = [];
    const authorize = provider.authorize.bind(provider);
    provider.authorize = async (req) => {
      // What another process (the till after a crash) would find on disk at this moment.
      const other = new Database(t.db.name, { readonly: true });
      try {
        seen.push(
          ...(other
            .prepare("SELECT state || ':' || idempotency_key FROM card_attempts")
            .pluck()
            .all() as string[]),
        );
      } finally {
        other.close();
      }
      return authorize(req);
    };
    await t.register.complete(cartOfWine(t.register), card);
    expect(seen).toEqual([expect.stringMatching(/^pending:.+:t0:g1$/)]);
  });

  it('leaves a payment in flight alone while it settles the ones a stopped till left', async () => {
    const { s, provider } = steeredReader();
    const t = tillWith(provider);
    s.next = 'approve';
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let asked: (() => void) | undefined;
    const reached = new Promise<void>((r) => {
      asked = r;
    });
    const authorize = provider.authorize.bind(provider);
    // The reader is slow on purpose: the resolver runs while the cashier's payment waits for it.
    provider.authorize = async (req) => {
      asked?.();
      await gate;
      return authorize(req);
    };
    const paying = t.register.complete(cartOfWine(t.register), card);
    await reached;
    expect(await t.register.settleCardPayments()).toEqual({ reversed: 0, declined: 0, open: 0 });
    release?.();
    await paying;
    expect(provider.charges()).toHaveLength(1);
    expect(t.cardTenders()).toHaveLength(1);
  });

  it('whatever mix of approvals, declines, lost answers, outages, kills and retries: net charges equal the card tenders recorded', async () => {
    const step = fc.record({
      outcome: fc.constantFrom<Step>('approve', 'decline', 'timeout', 'approve_then_timeout', 'kill'),
      down: fc.boolean(),
      retry: fc.boolean(),
      sameCart: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const { s, provider } = steeredReader();
        provider.authorize = wrapThenDown(provider, s);
        const t = tillWith(provider);
        let register = t.register;
        let cartId = cartOfWine(register);
        for (const st of steps) {
          if (!st.sameCart || !cartOpen(register, cartId)) cartId = cartOfWine(register);
          s.down = false;
          s.next = st.outcome;
          s.downAfter = st.down;
          const killed = new Promise<'killed'>((r) => {
            s.killed = () => r('killed');
          });
          const done = await Promise.race([register.complete(cartId, card).catch(() => 'failed'), killed]);
          if (done === 'killed') {
            register = t.restart();
            await register.settleCardPayments();
          }
          s.downAfter = false;
          s.down = false;
          if (st.retry && cartOpen(register, cartId)) {
            s.next = 'approve';
            await register.complete(cartId, card).catch(() => 'failed');
          }
        }
        s.down = false;
        await register.settleCardPayments();
        const tenders = t.cardTenders();
        const charges = provider.charges();
        expect(charges.map((c) => c.token).sort()).toEqual(tenders.map((c) => c.token).sort());
        expect(charges.reduce((a, c) => a + c.amountMinor, 0)).toBe(
          tenders.reduce((a, c) => a + c.amountMinor, 0),
        );
      }),
      { numRuns: 25 },
    );
  });
});

const cartOpen = (register: Register, cartId: string): boolean => {
  try {
    register.getCart(cartId);
    return true;
  } catch {
    return false;
  }
};

/** After the reader answers, the processor goes dark when the step says so (lookups and voids fail). */
function wrapThenDown(
  provider: SimulatedProvider,
  s: { down: boolean; downAfter: boolean },
): SimulatedProvider['authorize'] {
  const authorize = provider.authorize.bind(provider);
  return async (req) => {
    const r = await authorize(req);
    if (s.downAfter) s.down = true;
    return r;
  };
}
