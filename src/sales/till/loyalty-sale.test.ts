import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { milkAndWine } from '../../../test/fixtures/till.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { rejection } from '../../../test/helpers/refusals.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { enrollTerminal } from '../../access/index.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { DEFAULT_LOYALTY_PROGRAMME, type LoyaltyProgramme } from '../../contracts/index.ts';
import { fixedClock } from '../../core/index.ts';
import {
  authorizeBurn,
  loyaltyBalance,
  loyaltyBalanceForTill,
  loyaltyExceptions,
  releaseBurn,
  writeLoyaltyProgramme,
} from '../../customers/hq/index.ts';
import { LOYALTY_EVENT_TYPES } from '../../customers/index.ts';
import { cacheRemoteCustomer } from '../../customers/remote-customers.ts';
import { eraseAtTill, type LoyaltyAuthority, LoyaltyUnreachable } from '../../customers/till/index.ts';
import type { HqDb } from '../../db/index.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import { ingestBatch, rebuildProjections } from '../../sync/hq/index.ts';
import { createRegister } from './register.ts';
import { parseRegisterConfig } from './register-config.ts';

/**
 * Loyalty across two stores and head office: a customer earns at store A, spends online at store B,
 * is refused over the offline cap, overdraws within it (an exception at HQ), returns half a sale (the
 * points come back off), and every balance survives re-delivery and a rebuild.
 */
const NOW = '2026-03-02T09:15:00Z';
const programme: LoyaltyProgramme = {
  ...DEFAULT_LOYALTY_PROGRAMME,
  enabled: true,
  pointsPerUnit: 10,
  redeemPointsPerUnit: 100,
  offlineCapPoints: 300,
};
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** HQ as a till reaches it, through HQ's own functions, with a plug to pull. */
function hqLine(db: HqDb, terminalId: string, storeId: string) {
  const state = { down: false };
  const up = () => {
    if (state.down) throw new LoyaltyUnreachable('connect ECONNREFUSED');
  };
  const authority: LoyaltyAuthority = {
    async balance(customerId, pending = []) {
      up();
      return loyaltyBalanceForTill(db, customerId, pending, new Date(NOW));
    },
    async burn(req) {
      up();
      try {
        const r = await authorizeBurn(db, { ...req, terminalId, storeId });
        return { status: 'approved', balancePoints: r.balancePoints, applied: r.applied };
      } catch (err) {
        return { status: 'declined', message: (err as Error).message };
      }
    },
    async release(authId) {
      up();
      await releaseBurn(db, authId, terminalId);
    },
  };
  return { state, authority };
}

function openTill(db: HqDb, storeId: string, terminalId: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-loyalty-'));
  dirs.push(dir);
  const clock = fixedClock(NOW);
  const { db: sqlite, ledger } = openTestLedger(join(dir, 'ledger.db'), { clock, storeId, terminalId });
  const line = hqLine(db, terminalId, storeId);
  const store = { ...berlinStore(storeId), address: '1 High Street' };
  const register = createRegister({
    ledger,
    items: { lookup: (c) => milkAndWine.find((p) => p.sku === c), store: () => store },
    provider: new SimulatedProvider(),
    clock,
    logger: pino({ level: 'silent' }),
    // Voids after payment without a manager here: this file is about the points, not the approval.
    config: parseRegisterConfig({ approvals: { voidAfterPayment: false } }),
    loyaltyAuthority: line.authority,
    loyaltyProgramme: () => programme,
  });
  register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
  const sell = async (
    customerId: string,
    lines: [string, number][],
    tenders: Parameters<typeof register.complete>[1],
  ) => {
    const cart = register.createCart();
    for (const [sku, qty] of lines) register.addLine(cart.id, sku, qty);
    register.setCustomer(cart.id, customerId);
    return register.complete(cart.id, tenders);
  };
  return { sqlite, ledger, register, sell, line, terminalId, storeId };
}
type Till = ReturnType<typeof openTill>;

describe.each(hqBackends())('loyalty between tills and HQ on $name', ({ open }) => {
  const h = useHqDb(open, {
    seed: async (db) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      await writeLoyaltyProgramme(db, programme);
    },
  });

  const ship = async (t: Till) => {
    const till = { terminalId: t.terminalId, storeId: t.storeId };
    const r = await ingestBatch(
      h.db,
      hqEventRegistry,
      till as never,
      { terminalId: t.terminalId, events: t.ledger.range(1, 10_000) },
      { now: new Date(NOW) },
    );
    expect(r.rejected).toEqual([]);
  };
  const hqPoints = async (customerId: string) =>
    (await loyaltyBalance(h.db, customerId, new Date(NOW))).balancePoints;

  it('shows the register a customer’s points: HQ’s balance and their value, else the till’s as of when it last heard', async () => {
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C001' });
    const a = openTill(h.db, 'S001', 'S001-C001');
    const id = a.register.createCustomer({ phone: '+49 170 7654321' }).customerId;
    await a.sell(id, [['WINE', 4]], [{ kind: 'cash', tenderedMinor: 3_596 }]);
    await ship(a);
    expect(await a.register.customerPoints(id)).toEqual({
      customerId: id,
      enabled: true,
      balancePoints: 302,
      tier: 'bronze',
      valueMinor: 302,
      redeemPointsPerUnit: 100,
      currency: 'EUR',
      source: 'hq',
    });
    a.line.state.down = true;
    const offline = await a.register.customerPoints(id);
    expect(offline).toMatchObject({ balancePoints: 302, source: 'till', asOf: new Date(NOW).toISOString() });
    expect(await rejection(a.register.customerPoints('nobody'))).toMatchObject({ field: 'customerId' });
  });

  it('earns at A, spends at B online, is held to the offline cap, overdraws into an exception, and a return takes points back', async () => {
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C001' });
    await enrollTerminal(h.db, { storeId: 'S002', terminalId: 'S002-C001' });
    const a = openTill(h.db, 'S001', 'S001-C001');
    const b = openTill(h.db, 'S002', 'S002-C001');
    const customer = a.register.createCustomer({ phone: '+49 170 1234567' });
    const id = customer.customerId;
    // The customer's profile reached store B (the customers module's concern; here by hand).
    b.sqlite
      .prepare(
        'INSERT INTO customers (customer_id, phone, marketing_consent, created_at) VALUES (?, ?, 0, ?)',
      )
      .run(id, customer.phone, NOW);

    // Store A: 4 bottles of wine, 35.96 gross, 30.22 net → 302 points at 10 a unit.
    const first = await a.sell(id, [['WINE', 4]], [{ kind: 'cash', tenderedMinor: 3_596 }]);
    expect(first.loyalty).toMatchObject({ earned: 302, burned: 0, balanceAfter: 302 });
    const receipt = a.register.receipt(first.saleId, 'text');
    expect(receipt).toMatch(/Points earned\s+302/);
    expect(receipt).toMatch(/Points balance as of .*\s302/);
    await ship(a);
    expect(await hqPoints(id)).toBe(302);

    // Store B, online: 250 points pay 2.50 of a bottle of milk and wine (10.18); HQ debits them now.
    const second = await b.sell(
      id,
      [
        ['MILK', 1],
        ['WINE', 1],
      ],
      [
        { kind: 'loyalty_points', points: 250 },
        { kind: 'cash', tenderedMinor: 768 },
      ],
    );
    expect(second.tenders).toContainEqual(
      expect.objectContaining({ kind: 'loyalty_points', points: 250, amountMinor: 250 }),
    );
    expect(await hqPoints(id)).toBe(52);
    expect(second.loyalty?.burned).toBe(250);
    expect(second.loyalty?.asOf).toBeUndefined();
    expect(b.register.receipt(second.saleId, 'text')).toMatch(/Points used\s+250/);
    await ship(b);
    const afterB = await hqPoints(id);
    expect(afterB).toBe(52 + second.loyalty!.earned);

    // Store A, HQ unreachable: over the offline cap (300) is refused at the till, nothing recorded.
    a.line.state.down = true;
    const before = a.ledger.lastSeq();
    const err = await rejection(
      a.sell(
        id,
        [['WINE', 4]],
        [
          { kind: 'loyalty_points', points: 301 },
          { kind: 'cash', tenderedMinor: 3_295 },
        ],
      ),
    );
    expect(err).toMatchObject({ code: 'unavailable', field: 'tenders[0].points' });
    expect(a.ledger.lastSeq()).toBe(before);
    // Within the cap but above what HQ holds now (A last heard 302): allowed offline, overdraws at HQ.
    const third = await a.sell(
      id,
      [['WINE', 4]],
      [
        { kind: 'loyalty_points', points: 300 },
        { kind: 'cash', tenderedMinor: 3_296 },
      ],
    );
    expect(third.tenders).toContainEqual(expect.objectContaining({ kind: 'loyalty_points', offline: true }));
    expect(third.loyalty?.asOf).toBeDefined();
    await ship(a);
    const overdrawn = afterB - 300 + third.loyalty!.earned;
    expect(await hqPoints(id)).toBe(overdrawn);
    expect(afterB - 300).toBeLessThan(0);
    expect((await loyaltyExceptions(h.db)).filter((x) => x.customerId === id)).toEqual([
      expect.objectContaining({ shortfallPoints: 300 - afterB, terminalId: 'S001-C001' }),
    ]);
    expect(await loyaltyBalance(h.db, id, new Date(NOW))).toMatchObject({ overdraft: true });

    // A return of 2 of the 4 bottles of the first sale takes back half its points.
    a.line.state.down = false;
    await a.register.returnItems({
      receiptNo: first.receiptNo,
      lines: [{ lineNo: 1, qty: 2 }],
      refundTo: 'original',
      reason: 'corked',
    });
    const returned = a.ledger.range(1, 10_000).filter((e) => e.type === LOYALTY_EVENT_TYPES.returnPoints);
    expect(returned.map((e) => e.payload)).toEqual([expect.objectContaining({ reversed: 151, refunded: 0 })]);
    await ship(a);
    expect(await hqPoints(id)).toBe(overdrawn - 151);

    // Re-delivered and rebuilt: nothing moves.
    await ship(a);
    await ship(b);
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await hqPoints(id)).toBe(overdrawn - 151);
  });

  it('a return of a sale paid with points gives the points back after the cash', async () => {
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C002' });
    const a = openTill(h.db, 'S001', 'S001-C002');
    const id = a.register.createCustomer({ email: 'ana@example.org' }).customerId;
    await a.sell(id, [['WINE', 10]], [{ kind: 'cash', tenderedMinor: 8_990 }]);
    await ship(a);
    const paid = await a.sell(
      id,
      [['WINE', 2]],
      [
        { kind: 'loyalty_points', points: 500 },
        { kind: 'cash', tenderedMinor: 1_298 },
      ],
    );
    const r1 = await a.register.returnItems({
      receiptNo: paid.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'original',
      reason: 'broken',
    });
    // Original tenders, points after cards and stored value: the first bottle (8.99) comes back as 5.00 of points, then cash.
    expect(r1.refunds).toEqual([
      { kind: 'loyalty_points', amountMinor: 500, points: 500 },
      { kind: 'cash', amountMinor: 399 },
    ]);
    const r2 = await a.register.returnItems({
      receiptNo: paid.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'original',
      reason: 'broken',
    });
    expect(r2.refunds).toEqual([{ kind: 'cash', amountMinor: 899 }]);
    await ship(a);
    const earnedFirst = 755;
    expect(await hqPoints(id)).toBe(earnedFirst);
  });
  it('once the customer is erased at the till, a reprint of their sale shows no points and HQ’s late answer is not cached', async () => {
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C001' });
    const a = openTill(h.db, 'S001', 'S001-C001');
    const id = a.register.createCustomer({ phone: '+49 170 1234567', name: 'Eva Erased' }).customerId;
    const sold = await a.sell(id, [['WINE', 1]], [{ kind: 'cash', tenderedMinor: 899 }]);
    expect(a.register.receipt(sold.saleId, 'text')).toMatch(/Points balance/);

    expect(eraseAtTill(a.sqlite, [id])).toMatchObject({ forgotten: 1 });
    const reprint = a.register.receipt(sold.saleId, 'text', { copy: true });
    expect(reprint).toMatch(/COPY/);
    expect(reprint).not.toMatch(/Points/);
    expect(a.register.findCustomer({ phone: '+49 170 1234567' })).toBeUndefined();
    // A lookup HQ answered before the erasure reached it does not bring her back.
    const late = {
      customerId: id,
      phone: '+491701234567',
      name: 'Eva Erased',
      consents: { marketing_email: false, marketing_sms: false, analytics: false },
      registeredAt: NOW,
      key: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(cacheRemoteCustomer(a.sqlite, late, NOW)).toBe(false);
    expect(a.register.findCustomer({ phone: '+49 170 1234567' })).toBeUndefined();
  });

  const loyaltyEvents = (t: Till, type: string) =>
    t.ledger
      .range(1, 10_000)
      .filter((e) => e.type === type)
      .map((e) => e.payload as Record<string, number>);

  it('an exchange takes back the returned wine’s points and earns on the new milk, once however often it syncs', async () => {
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C003' });
    const a = openTill(h.db, 'S001', 'S001-C003');
    const id = a.register.createCustomer({ email: 'bo@example.org' }).customerId;
    const first = await a.sell(id, [['WINE', 4]], [{ kind: 'cash', tenderedMinor: 3_596 }]);
    expect(first.loyalty?.earned).toBe(302);
    // The cart of new items names nobody: the exchange is still the original customer's.
    const cart = a.register.createCart();
    a.register.addLine(cart.id, 'MILK', 2);
    const x = await a.register.exchange({
      receiptNo: first.receiptNo,
      lines: [{ lineNo: 1, qty: 2 }],
      cartId: cart.id,
      refundTo: 'cash',
      reason: 'wrong colour',
    });
    expect(x.sale.customerId).toBe(id);
    const [back] = loyaltyEvents(a, LOYALTY_EVENT_TYPES.returnPoints);
    expect(back).toMatchObject({ reversed: 151, refunded: 0 });
    const newEarn = loyaltyEvents(a, LOYALTY_EVENT_TYPES.salePoints).at(-1)!;
    expect(newEarn).toMatchObject({ saleId: x.sale.saleId, earned: 22 });
    expect(x.sale.loyalty?.balanceAfter).toBe(302 - 151 + 22);
    await ship(a);
    await ship(a);
    expect(await hqPoints(id)).toBe(302 - 151 + 22);
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await hqPoints(id)).toBe(302 - 151 + 22);
  });

  it('points that paid for returned items come back as points on an exchange and on a void after payment', async () => {
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C004' });
    const a = openTill(h.db, 'S001', 'S001-C004');
    const id = a.register.createCustomer({ email: 'cy@example.org' }).customerId;
    await a.sell(id, [['WINE', 10]], [{ kind: 'cash', tenderedMinor: 8_990 }]);
    await ship(a);
    const start = await hqPoints(id);
    // Two wines, 5.00 of them paid with 500 points (split with cash).
    const paid = await a.sell(
      id,
      [['WINE', 2]],
      [
        { kind: 'loyalty_points', points: 500 },
        { kind: 'cash', tenderedMinor: 1_298 },
      ],
    );
    const earnedOnPaid = paid.loyalty!.earned;
    // One wine (8.99) exchanged for a milk (1.19): the 7.80 surplus goes back to the original tenders,
    // points first among them here (no card), so 500 points come back and 2.80 in cash.
    const cart = a.register.createCart();
    a.register.addLine(cart.id, 'MILK', 1);
    const x = await a.register.exchange({
      receiptNo: paid.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      cartId: cart.id,
      refundTo: 'original',
      reason: 'changed mind',
    });
    expect(x.return.refunds).toContainEqual({ kind: 'loyalty_points', amountMinor: 500, points: 500 });
    const milkEarn = loyaltyEvents(a, LOYALTY_EVENT_TYPES.salePoints).at(-1)!.earned!;
    // Voiding what is left of the sale takes back the rest of its points; nothing more comes back as points.
    await a.register.voidPaidSale({
      receiptNo: paid.receiptNo,
      reason: 'customer left',
      refundTo: 'original',
    });
    const back = loyaltyEvents(a, LOYALTY_EVENT_TYPES.returnPoints);
    expect(back.map((b) => b.refunded)).toEqual([500, 0]);
    expect(back.reduce((s, b) => s + b.reversed!, 0)).toBe(earnedOnPaid);
    await ship(a);
    await ship(a);
    expect(await hqPoints(id)).toBe(start + milkEarn);
  });
});
