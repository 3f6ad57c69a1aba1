import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cornerShopConfig,
  MANAGER_APPROVAL,
  openTestTill,
  removeTestTills,
} from '../../../test/fixtures/till.ts';
import { rejection } from '../../../test/helpers/refusals.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import { SALES_EVENT_TYPES, type SaleCompleted, type SaleReturned } from '../events.ts';

afterEach(removeTestTills);

function setup(provider = new SimulatedProvider(), config = cornerShopConfig()) {
  const till = openTestTill(config, provider);
  till.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
  const count = (): number => till.db.prepare('SELECT COUNT(*) FROM ledger').pluck().get() as number;
  const events = (type: string) => till.ledger.range(1, 10_000).filter((e) => e.type === type);
  return { ...till, count, events };
}

describe('refunds over several cards', () => {
  it('pays a later card that fails back as store credit, and records the failure on the event', async () => {
    let second = '';
    const provider = new SimulatedProvider({ refundFails: (token) => token === second });
    const s = setup(provider);
    const sale = await s.sell(
      [['WINE', 2]],
      [
        { kind: 'card', amountMinor: 1_000 },
        { kind: 'card', amountMinor: 798 },
      ],
    );
    second = (sale.tenders[1] as { token: string }).token;
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 2 }],
      reason: 'faulty',
    });
    expect(r.refundMinor).toBe(1_798);
    expect(r.failedRefunds).toEqual([
      { maskedPan: '************4242', amountMinor: 798, reason: 'card account closed' },
    ]);
    expect(r.refunds.map((f) => [f.kind, f.amountMinor])).toEqual([
      ['card', 1_000],
      ['store_credit', 798],
    ]);
    expect(s.register.balance(r.storeCreditCode!).balanceMinor).toBe(798);
    const e = s.events(SALES_EVENT_TYPES.saleReturned)[0]!.payload as SaleReturned;
    expect(e.failedRefunds).toHaveLength(1);
    expect(e.refunds.reduce((a, f) => a + f.amountMinor, 0)).toBe(e.totals.grossMinor);
  });

  it('pays it in cash from the drawer when the till is set to', async () => {
    let second = '';
    const s = setup(
      new SimulatedProvider({ refundFails: (token) => token === second }),
      cornerShopConfig({ refundFallback: 'cash' }),
    );
    const sale = await s.sell(
      [['WINE', 1]],
      [
        { kind: 'card', amountMinor: 400 },
        { kind: 'card', amountMinor: 499 },
      ],
    );
    second = (sale.tenders[1] as { token: string }).token;
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'x',
    });
    expect(r.refunds.map((f) => [f.kind, f.amountMinor])).toEqual([
      ['card', 400],
      ['cash', 499],
    ]);
    expect(s.register.xReport().cash.cashRefundsMinor).toBe(499);
  });

  it('partial refunds of a line always add up to exactly what was paid for it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 7 })
          .chain((qty) =>
            fc.tuple(
              fc.constant(qty),
              fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 7 }),
            ),
          ),
        fc.integer({ min: 1, max: 40 }),
        async ([qty, parts], percent) => {
          const s = setup();
          const cart = s.register.createCart();
          s.register.addLine(cart.id, 'WINE', qty);
          s.register.addDiscount(cart.id, { percent: Math.min(percent, 20), reason: 'promo' });
          const sale = await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 100_000 }]);
          let left = qty;
          let refunded = 0;
          for (const p of parts) {
            const n = Math.min(p, left);
            if (n === 0) break;
            refunded += (
              await s.register.returnItems({
                receiptNo: sale.receiptNo,
                lines: [{ lineNo: 1, qty: n }],
                reason: 'x',
                refundTo: 'cash',
              })
            ).refundMinor;
            left -= n;
          }
          if (left > 0)
            refunded += (
              await s.register.returnItems({
                receiptNo: sale.receiptNo,
                lines: [{ lineNo: 1, qty: left }],
                reason: 'x',
                refundTo: 'cash',
              })
            ).refundMinor;
          expect(refunded).toBe(sale.grossMinor);
          removeTestTills();
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('exchanges, voids after payment and returns without a receipt', () => {
  it('exchanges a wine for two milks: one transaction, the surplus back in cash', async () => {
    const s = setup();
    const sale = await s.sell([['WINE', 1]], [{ kind: 'cash', tenderedMinor: 1_000 }]);
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'MILK', 2);
    const seqBefore = s.ledger.lastSeq();
    const x = await s.register.exchange({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      cartId: cart.id,
      refundTo: 'cash',
      reason: 'wrong colour',
    });
    expect(s.ledger.lastSeq()).toBe(seqBefore + 2);
    expect(x.sale.tenders).toEqual([expect.objectContaining({ kind: 'exchange_credit', amountMinor: 238 })]);
    expect(x.return.refunds.map((f) => [f.kind, f.amountMinor])).toEqual([
      ['exchange', 238],
      ['cash', 661],
    ]);
    const [ret] = s.events(SALES_EVENT_TYPES.saleReturned).map((e) => e.payload as SaleReturned);
    const newSale = s.events(SALES_EVENT_TYPES.saleCompleted).at(-1)!.payload as SaleCompleted;
    expect(ret!.exchangeId).toBe(newSale.exchangeId);
  });

  it('exchanges for something dearer: the credit pays first, a card pays the difference', async () => {
    const s = setup();
    const sale = await s.sell([['MILK', 2]], [{ kind: 'cash', tenderedMinor: 500 }]);
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    const x = await s.register.exchange({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 2 }],
      cartId: cart.id,
      tenders: [{ kind: 'card', amountMinor: 661 }],
      reason: 'upgrade',
    });
    expect(x.sale.tenders.map((t) => [t.kind, t.amountMinor])).toEqual([
      ['card', 661],
      ['exchange_credit', 238],
    ]);
    expect(x.return.refunds).toEqual([{ kind: 'exchange', amountMinor: 238, saleId: x.sale.saleId }]);
  });

  it('voids a paid sale with a manager: every line back, the card refunded', async () => {
    const s = setup();
    const sale = await s.sell(
      [
        ['WINE', 1],
        ['MILK', 1],
      ],
      [{ kind: 'card', amountMinor: 1_018 }],
    );
    const n = s.count();
    const asked = await rejection(s.register.voidPaidSale({ saleId: sale.saleId, reason: 'rang up twice' }));
    expect(asked.toJSON()).toMatchObject({ error: 'approval_required', field: 'voidAfterPayment' });
    expect(s.count()).toBe(n);
    const r = await s.register.voidPaidSale({
      saleId: sale.saleId,
      reason: 'rang up twice',
      managerPin: MANAGER_APPROVAL,
    });
    expect(r.refunds).toEqual([expect.objectContaining({ kind: 'card', amountMinor: 1_018 })]);
    const e = s.events(SALES_EVENT_TYPES.saleReturned)[0]!.payload as SaleReturned;
    expect(e).toMatchObject({ postVoid: true, approvedBy: 'M1' });
    expect(
      await rejection(
        s.register.voidPaidSale({ saleId: sale.saleId, reason: 'again', managerPin: MANAGER_APPROVAL }),
      ),
    ).toMatchObject({ code: 'conflict' });
  });

  it('takes a return without a receipt as store credit at the lowest recent price, with a manager', async () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    s.register.addDiscount(cart.id, { amountMinor: 100, reason: 'promo' });
    await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 799 }]);
    await s.sell([['WINE', 1]], [{ kind: 'cash', tenderedMinor: 899 }]);
    const asked = await rejection(() =>
      s.register.returnWithoutReceipt({ lines: [{ code: 'WINE', qty: 1 }], reason: 'gift' }),
    );
    expect(asked.toJSON()).toMatchObject({ error: 'approval_required', field: 'returnWithoutReceipt' });
    const r = s.register.returnWithoutReceipt({
      lines: [{ code: 'WINE', qty: 1 }],
      reason: 'gift',
      managerPin: MANAGER_APPROVAL,
    });
    expect(r.refundMinor).toBe(799);
    expect(r.refunds).toEqual([expect.objectContaining({ kind: 'store_credit', amountMinor: 799 })]);
    const e = s.events(SALES_EVENT_TYPES.saleReturned).at(-1)!.payload as SaleReturned;
    expect(e).toMatchObject({ withoutReceipt: true, approvedBy: 'M1' });
    expect(e.originalSaleId).toBeUndefined();
    // Never sold here recently: the shelf price.
    expect(
      s.register.returnWithoutReceipt({
        lines: [{ code: 'MILK', qty: 2 }],
        reason: 'x',
        managerPin: MANAGER_APPROVAL,
      }).refundMinor,
    ).toBe(238);
  });
});

describe('customers', () => {
  it('creates a customer with consent, finds them by phone or email however typed, and puts the id on the sale', async () => {
    const s = setup();
    const c = s.register.createCustomer({
      phone: '+41 79 123 45 67',
      email: 'Ana@Example.org',
      name: 'Ana',
      marketingConsent: true,
    });
    expect(s.register.findCustomer({ phone: '+41791234567' })?.customerId).toBe(c.customerId);
    expect(s.register.findCustomer({ email: ' ana@example.ORG ' })?.customerId).toBe(c.customerId);
    expect(s.register.findCustomer({ phone: '+41 79 000 00 00' })).toBeUndefined();
    expect((await rejection(() => s.register.createCustomer({ phone: '+41791234567' }))).field).toBe('phone');
    expect((await rejection(() => s.register.createCustomer({ email: 'nope' }))).field).toBe('email');
    const created = s.events('customer.created');
    expect(created).toHaveLength(1);
    // The personal fields travel only sealed (customers/pii-crypto.ts); the consents in clear.
    expect(created[0]!.payload).toMatchObject({
      consents: { marketing_email: true, marketing_sms: true, analytics: false },
      pii: { v: 1 },
    });
    expect(JSON.stringify(created[0]!.payload)).not.toContain('41791234567');
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'MILK', 1);
    expect(s.register.setCustomer(cart.id, c.customerId).customerId).toBe(c.customerId);
    expect((await rejection(() => s.register.setCustomer(cart.id, 'nobody'))).field).toBe('customerId');
    const sale = await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 200 }]);
    expect(sale.customerId).toBe(c.customerId);
  });
});

describe('bad input leaves the ledger unchanged', () => {
  it('answers each with a clear error naming the field', async () => {
    const s = setup();
    const sale = await s.sell([['WINE', 1]], [{ kind: 'card', amountMinor: 899 }]);
    await s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'x' });
    const { code } = await s.register.sellGiftCard({
      amountMinor: 100,
      tenders: [{ kind: 'cash', tenderedMinor: 100 }],
      load: false,
    });
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'MILK', 1);
    const cases: [string, () => unknown, number, string][] = [
      ['unknown barcode', () => s.register.addLine(cart.id, '4006381333931'), 404, 'code'],
      ['quantity zero', () => s.register.addLine(cart.id, 'MILK', 0), 400, 'qty'],
      ['quantity zero on a line', () => s.register.changeQty(cart.id, 1, 0), 400, 'qty'],
      [
        'refund larger than paid',
        () =>
          s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 2 }], reason: 'x' }),
        400,
        'lines[0].qty',
      ],
      [
        'second return of the same line',
        () =>
          s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'x' }),
        400,
        'lines[0].qty',
      ],
      [
        'gift card without enough balance',
        () => s.register.complete(cart.id, [{ kind: 'gift_card', code: code!, amountMinor: 119 }]),
        400,
        'tenders[0].amountMinor',
      ],
      ['unknown gift card', () => s.register.balance('1234567890123456'), 404, 'code'],
    ];
    for (const [what, act, status, field] of cases) {
      const n = s.count();
      const err = await rejection(act);
      expect({ what, status: err.status, field: err.field }).toEqual({ what, status, field });
      expect(err.message.length).toBeGreaterThan(10);
      expect(s.count()).toBe(n);
    }
    s.register.closeShift({ countedCashMinor: 10_100 });
    const n = s.count();
    const z = await rejection(() => s.register.closeShift({}));
    expect({ status: z.status, field: z.field }).toEqual({ status: 409, field: 'shift' });
    expect(s.count()).toBe(n);
  });
});

describe('events reach HQ valid', () => {
  it('every event of a full day passes the payload schema HQ checks at ingest', async () => {
    const s = setup();
    const c = s.register.createCustomer({ email: 'a@b.de', marketingConsent: false });
    const gift = await s.register.sellGiftCard({
      amountMinor: 500,
      tenders: [{ kind: 'card', amountMinor: 500 }],
      load: false,
    });
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    s.register.addLine(cart.id, '4011', 1, { weightGrams: 500 });
    s.register.addDiscount(cart.id, { percent: 10, reason: 'loyal' });
    s.register.setCustomer(cart.id, c.customerId);
    const sale = await s.register.complete(cart.id, [
      { kind: 'gift_card', code: gift.code!, amountMinor: 500 },
      { kind: 'cash', tenderedMinor: 1_000 },
    ]);
    s.register.receipt(sale.saleId, 'text', { copy: true });
    s.register.receipt(sale.saleId, 'escpos', { gift: true });
    await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'x',
      refundTo: 'store_credit',
    });
    s.register.returnWithoutReceipt({
      lines: [{ code: 'MILK', qty: 1 }],
      reason: 'x',
      managerPin: MANAGER_APPROVAL,
    });
    s.register.noSale({ reason: 'change', managerPin: MANAGER_APPROVAL });
    s.register.closeShift({ countedCashMinor: 0 });
    const types = new Set<string>();
    for (const e of s.ledger.range(1, 10_000)) {
      const schema = hqEventRegistry.kinds.get(e.type)?.schemas[e.schemaVersion];
      expect(schema, `HQ knows ${e.type}`).toBeDefined();
      expect(schema!.safeParse(e.payload).success, e.type).toBe(true);
      types.add(e.type);
    }
    expect(types.size).toBeGreaterThanOrEqual(8);
  });
});
