import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { cornerShop, cornerShopProducts } from '../../../test/fixtures/till.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { fixedClock } from '../../core/clock.ts';
import { SimulatedProvider, type SimulatedProviderOptions } from '../../payments/simulated.ts';
import { saleCompletedSchema } from '../events.ts';
import { createRegister, type ItemSource } from './register.ts';

const store = cornerShop;
const products = cornerShopProducts;
const items = (loaded = true): ItemSource => ({
  lookup: (code) => (loaded ? products.find((p) => p.sku === code || p.barcodes.includes(code)) : undefined),
  store: () => (loaded ? store : undefined),
});

const tempDir = tempDirs('register');

function setup(opts: { provider?: SimulatedProviderOptions; loaded?: boolean; file?: string } = {}) {
  const file = opts.file ?? join(tempDir(), 'ledger.db');
  const clock = fixedClock('2026-03-02T09:15:00Z');
  const { db, ledger } = openTestLedger(file, { clock, timeZone: store.timeZone });
  const provider = new SimulatedProvider(opts.provider);
  const register = createRegister({
    ledger,
    items: items(opts.loaded ?? true),
    provider,
    clock,
    logger: pino({ level: 'silent' }),
  });
  return { register, ledger, db, provider, file };
}

const ledgerCount = (db: ReturnType<typeof setup>['db']): number =>
  db.prepare('SELECT COUNT(*) FROM ledger').pluck().get() as number;
const eventTypes = (db: ReturnType<typeof setup>['db']): string[] =>
  db.prepare('SELECT type FROM ledger ORDER BY seq').pluck().all() as string[];
const cartCount = (db: ReturnType<typeof setup>['db']): number =>
  db.prepare('SELECT COUNT(*) FROM carts').pluck().get() as number;

describe('register', () => {
  it('sells for cash: one sale.completed event matching the schema, cart gone, change given', async () => {
    const { register, ledger, db } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
    const cart = register.createCart();
    register.addLine(cart.id, 'MILK', 2);
    const view = register.addLine(cart.id, '4000000000017', 1);
    expect(view.totals.grossMinor).toBe(357);
    const done = await register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 500 }]);
    expect(done).toMatchObject({ receiptNo: 'T1-000001', grossMinor: 357, changeMinor: 143, seq: 2 });
    const event = ledger.saleById(done.saleId)!;
    expect(saleCompletedSchema.parse(event.payload)).toEqual(event.payload);
    expect(cartCount(db)).toBe(0);
    expect(() => register.getCart(cart.id)).toThrow(expect.objectContaining({ field: 'cartId' }));
  });

  it('leaves the cart and no sale when the sale cannot be written, and voids the card on the record', async () => {
    const { register, db, provider } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 1);
    // A disk that refuses the write at the last moment, after the card was approved.
    db.exec(
      `CREATE TEMP TRIGGER fail_sale BEFORE INSERT ON cart_sales BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    await expect(register.complete(c.id, [{ kind: 'card', amountMinor: 899 }])).rejects.toThrow('disk full');
    // Shift opened, then the voided charge: the money went out and came back, and the Z report says so.
    expect(eventTypes(db)).toEqual(['shift.opened', 'payment.card_reversed']);
    expect(cartCount(db)).toBe(1);
    expect(provider.charges()).toHaveLength(0);
    db.exec('DROP TRIGGER fail_sale');
    const done = await register.complete(c.id, [{ kind: 'cash', tenderedMinor: 899 }]);
    expect(done.receiptNo).toBe('T1-000001');
    expect([ledgerCount(db), cartCount(db)]).toEqual([3, 0]);
  });

  it('numbers receipts per terminal without repeats', async () => {
    const { register } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const nos: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = register.createCart();
      register.addLine(c.id, 'WINE', 1);
      nos.push((await register.complete(c.id, [{ kind: 'cash', tenderedMinor: 899 }])).receiptNo);
    }
    expect(nos).toEqual(['T1-000001', 'T1-000002', 'T1-000003']);
  });

  it('returns the same sale when complete is retried', async () => {
    const { register, db } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 1);
    const a = await register.complete(c.id, [{ kind: 'cash', tenderedMinor: 1000 }]);
    const b = await register.complete(c.id, [{ kind: 'cash', tenderedMinor: 1000 }]);
    expect(b).toEqual(a);
    expect(ledgerCount(db)).toBe(2);
  });

  it('refuses a short tender naming tenders, leaving the cart and the ledger as they were', async () => {
    const { register, db } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 1);
    await expect(register.complete(c.id, [{ kind: 'cash', tenderedMinor: 898 }])).rejects.toMatchObject({
      field: 'tenders',
      status: 400,
    });
    expect(ledgerCount(db)).toBe(1);
    expect(register.getCart(c.id).lines).toHaveLength(1);
  });

  it('keeps the cart open when the card is declined or times out, and writes nothing', async () => {
    for (const outcome of ['decline', 'timeout'] as const) {
      const { register, db } = setup({ provider: { outcome } });
      register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
      const c = register.createCart();
      register.addLine(c.id, 'WINE', 1);
      await expect(register.complete(c.id, [{ kind: 'card', amountMinor: 899 }])).rejects.toMatchObject({
        status: 402,
        field: 'tenders',
      });
      expect(ledgerCount(db)).toBe(1);
      expect(register.getCart(c.id).totals.grossMinor).toBe(899);
    }
  });

  it('splits card and cash, storing only a token and a masked number', async () => {
    const { register, ledger } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 2);
    const done = await register.complete(c.id, [
      { kind: 'card', amountMinor: 1000 },
      { kind: 'cash', tenderedMinor: 1000 },
    ]);
    expect(done.changeMinor).toBe(202);
    // The payload is what the sale stores; the envelope's chain hashes are hex and may hold digit runs.
    const json = JSON.stringify(ledger.saleById(done.saleId)?.payload);
    expect(json).toContain('************4242');
    expect(json).not.toMatch(/\d{13,19}/);
  });

  it('reverses an approved card when a second card in the same sale is declined', async () => {
    let n = 0;
    const { register, provider, db } = setup({
      provider: { outcome: () => (n++ === 0 ? 'approve' : 'decline') },
    });
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 2);
    await expect(
      register.complete(c.id, [
        { kind: 'card', amountMinor: 1000 },
        { kind: 'card', amountMinor: 798 },
      ]),
    ).rejects.toMatchObject({ status: 402 });
    expect(provider.authorizations[0]).toMatchObject({ amountMinor: 1000, status: 'reversed' });
    expect(provider.charges()).toHaveLength(0);
    expect(eventTypes(db)).toEqual(['shift.opened', 'payment.card_reversed']);
  });

  it('needs an open shift to sell, and only one shift at a time', async () => {
    const { register } = setup();
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 1);
    await expect(register.complete(c.id, [{ kind: 'cash', tenderedMinor: 899 }])).rejects.toMatchObject({
      field: 'shift',
    });
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    expect(() => register.openShift({ cashierId: 'bob', openingFloatMinor: 0 })).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });

  it('closes a shift with the cash the drawer should hold', async () => {
    const { register } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 5000 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 2);
    await register.complete(c.id, [
      { kind: 'card', amountMinor: 798 },
      { kind: 'cash', tenderedMinor: 2000 },
    ]);
    const closed = register.closeShift({ countedCashMinor: 5990 });
    expect(closed).toMatchObject({
      cashSalesMinor: 1000,
      cardSalesMinor: 798,
      expectedCashMinor: 6000,
      differenceMinor: -10,
    });
    expect(register.currentShift()).toBeUndefined();
  });

  it('names the field for unknown products, bad quantities and inactive products', () => {
    const { register } = setup();
    const c = register.createCart();
    expect(() => register.addLine(c.id, 'NOPE', 1)).toThrow(
      expect.objectContaining({ field: 'code', status: 404 }),
    );
    expect(() => register.addLine(c.id, 'OLD', 1)).toThrow(expect.objectContaining({ field: 'code' }));
    expect(() => register.addLine(c.id, 'MILK', -1)).toThrow(
      expect.objectContaining({ field: 'qty', status: 400 }),
    );
    expect(() => register.addLine('no-such-cart', 'MILK', 1)).toThrow(
      expect.objectContaining({ field: 'cartId' }),
    );
  });

  it('says the catalog is not loaded yet rather than that an item does not exist', () => {
    const { register } = setup({ loaded: false });
    expect(() => register.lookupItem('MILK')).toThrow(
      expect.objectContaining({ status: 503, field: 'code' }),
    );
  });

  it('keeps an unfinished cart across a restart', () => {
    const first = setup();
    const c = first.register.createCart();
    first.register.addLine(c.id, 'MILK', 3);
    first.db.close();
    const again = setup({ file: first.file });
    expect(again.register.getCart(c.id).lines[0]).toMatchObject({ sku: 'MILK', qty: 3 });
  });

  it('prints a receipt from the stored sale: text and ESC/POS', async () => {
    const { register } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'MILK', 2);
    register.addLine(c.id, 'WINE', 1);
    const done = await register.complete(c.id, [{ kind: 'cash', tenderedMinor: 2000 }]);
    const text = register.receipt(done.saleId, 'text');
    for (const s of [
      'Corner Shop',
      'Milk 1l',
      'EUR 11,37',
      '7%',
      '19%',
      'Change',
      '8,63',
      'T1-000001',
      '02.03.2026, 10:15', // a Berlin store: its locale's date and 24-hour time
    ]) {
      expect(text).toContain(s);
    }
    const bytes = register.receipt(done.saleId, 'escpos');
    expect(bytes[0]).toBe(0x1b); // ESC @ initialises the printer
    expect(Buffer.from(bytes).toString('latin1')).toContain('T1-000001');
    expect(() => register.receipt('0190f000-0000-7000-8000-000000000000', 'text')).toThrow(
      expect.objectContaining({ field: 'saleId' }),
    );
  });
});

describe('park, resume and void', () => {
  const field = (f: string, error?: string) =>
    expect.objectContaining(error ? { field: f, code: error } : { field: f });

  it('parks a cart, keeps it across a reopen of the database, resumes and completes it', async () => {
    const first = setup();
    first.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = first.register.createCart();
    first.register.addLine(c.id, 'MILK', 2);
    const parked = first.register.park(c.id, ' Mrs Smith ');
    expect(parked).toMatchObject({ label: 'Mrs Smith', parkedAt: '2026-03-02T09:15:00.000Z' });
    first.db.close();

    const again = setup({ file: first.file });
    expect(again.register.parkedCarts()).toEqual([
      {
        cartId: c.id,
        label: 'Mrs Smith',
        itemCount: 2,
        grossMinor: 238,
        currency: 'EUR',
        parkedAt: '2026-03-02T09:15:00.000Z',
      },
    ]);
    const resumed = again.register.resume(c.id);
    expect(resumed.totals.grossMinor).toBe(238);
    expect(again.register.parkedCarts()).toEqual([]);
    again.register.addLine(c.id, 'WINE', 1);
    const done = await again.register.complete(c.id, [{ kind: 'cash', tenderedMinor: 2000 }]);
    expect(done.grossMinor).toBe(238 + 899);
  });

  it('refuses edits and payment while parked, with 409 on cartId saying resume it first', async () => {
    const { register, ledger } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'MILK', 1);
    register.park(c.id);
    const before = ledger.lastSeq();
    const refused = expect.objectContaining({
      field: 'cartId',
      message: expect.stringContaining('resume it first'),
    });
    expect(() => register.addLine(c.id, 'MILK', 1)).toThrow(refused);
    expect(() => register.changeQty(c.id, 1, 3)).toThrow(refused);
    expect(() => register.removeLine(c.id, 1)).toThrow(refused);
    await expect(register.complete(c.id, [{ kind: 'cash', tenderedMinor: 500 }])).rejects.toThrow(refused);
    expect(() => register.park(c.id)).toThrow(field('cartId'));
    expect(ledger.lastSeq()).toBe(before);
    expect(register.getCart(c.id).lines).toHaveLength(1);
    register.resume(c.id);
    expect(() => register.resume(c.id)).toThrow(field('cartId'));
    expect(register.addLine(c.id, 'MILK', 1).lines[0]?.qty).toBe(2);
  });

  it('voids a line: one cart.line_voided event, the total drops, the X report counts it', () => {
    const { register, ledger } = setup();
    const shift = register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'MILK', 1);
    register.addLine(c.id, 'WINE', 2);
    const before = ledger.lastSeq();
    const view = register.removeLine(c.id, 2);
    expect(view.totals.grossMinor).toBe(119);
    expect(ledger.lastSeq()).toBe(before + 1);
    const e = ledger.latestOf(['cart.line_voided'])!;
    expect(e.payload).toEqual({
      cartId: c.id,
      lineNo: 2,
      sku: 'WINE',
      qty: 2,
      grossMinor: 1798,
      cashierId: 'alice',
      shiftId: shift.shiftId,
    });
    expect(register.xReport().voids).toMatchObject({
      count: 1,
      totalMinor: 1798,
      lines: { count: 1, totalMinor: 1798 },
    });
    // A line that is not there: no event.
    expect(() => register.removeLine(c.id, 2)).toThrow(field('lineNo'));
    expect(ledger.lastSeq()).toBe(before + 1);
  });

  it('voids a whole sale: the cart is gone, one sale.voided event, and the X report has it', () => {
    const { register, ledger, db } = setup();
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'MILK', 3);
    const before = ledger.lastSeq();
    const r = register.voidSale(c.id, 'customer changed their mind');
    expect(r).toMatchObject({ cartId: c.id, grossMinor: 357, seq: before + 1 });
    expect(cartCount(db)).toBe(0);
    expect(ledger.lastSeq()).toBe(before + 1);
    const e = ledger.latestOf(['sale.voided'])!;
    expect(e.payload).toMatchObject({
      cartId: c.id,
      grossMinor: 357,
      reason: 'customer changed their mind',
      lines: [{ lineNo: 1, sku: 'MILK', qty: 3, grossMinor: 357 }],
    });
    expect(register.xReport().voids).toEqual({
      count: 1,
      totalMinor: 357,
      sales: { count: 1, totalMinor: 357 },
      lines: { count: 0, totalMinor: 0 },
    });
    expect(() => register.getCart(c.id)).toThrow(field('cartId'));
  });

  it('leaves the ledger alone on bad input', async () => {
    const { register, ledger } = setup({ provider: { latencyMs: 30 } });
    register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const c = register.createCart();
    register.addLine(c.id, 'WINE', 1);
    const before = ledger.lastSeq();
    expect(() => register.voidSale(c.id, undefined)).toThrow(field('reason'));
    expect(() => register.voidSale(c.id, '   ')).toThrow(field('reason'));
    expect(() => register.voidSale('nope', 'x')).toThrow(field('cartId'));
    expect(() => register.removeLine(c.id, 9)).toThrow(field('lineNo'));
    expect(() => register.removeLine('nope', 1)).toThrow(field('cartId'));
    expect(() => register.park(c.id, 'x'.repeat(81))).toThrow(field('label'));
    expect(() => register.resume(c.id)).toThrow(field('cartId'));
    expect(ledger.lastSeq()).toBe(before);
    // While the card reader is busy, neither a void nor parking may pull the cart away.
    const paying = register.complete(c.id, [{ kind: 'card', amountMinor: 899 }]);
    expect(() => register.voidSale(c.id, 'walked off')).toThrow(field('cartId', 'conflict'));
    expect(() => register.park(c.id)).toThrow(field('cartId', 'conflict'));
    expect(() => register.removeLine(c.id, 1)).toThrow(field('cartId', 'conflict'));
    expect(ledger.lastSeq()).toBe(before);
    await paying;
    expect(ledger.lastSeq()).toBe(before + 1);
  });
});
