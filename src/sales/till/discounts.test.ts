import { afterEach, describe, expect, it } from 'vitest';
import { MANAGER_APPROVAL, openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { thrownBy } from '../../../test/helpers/refusals.ts';
import { gtinCheckDigit } from '../../catalog/gtin.ts';
import { SALES_EVENT_TYPES, type SaleCompleted } from '../events.ts';
import { ApprovalError } from './approvals.ts';

afterEach(removeTestTills);

const thrown = thrownBy;

/** An in-store EAN-13: prefix, 5-digit item reference, 5-digit value, check digit. */
const embedded = (prefix: string, itemRef: string, value: number): string => {
  const body = `${prefix}${itemRef}${String(value).padStart(5, '0')}`;
  return `${body}${gtinCheckDigit(body)}`;
};

function setup() {
  const till = openTestTill();
  till.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
  const count = (): number => till.db.prepare('SELECT COUNT(*) FROM ledger').pluck().get() as number;
  const lastSale = (): SaleCompleted =>
    till.ledger.latestOf([SALES_EVENT_TYPES.saleCompleted])!.payload as SaleCompleted;
  return { ...till, count, lastSale };
}

describe('cashier discounts and price overrides', () => {
  it('takes a line amount and a basket percent off, shows them on the cart, the sale, the receipt and the X report', async () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 2); // 17.98
    s.register.addLine(cart.id, 'MILK', 1); // 1.19
    s.register.addDiscount(cart.id, { lineNo: 1, amountMinor: 200, reason: 'damaged label' });
    const view = s.register.addDiscount(cart.id, { percent: 10, reason: 'staff' });
    // Line 1: 1798 − 200 = 1598, basket 10 % of 1717 = 172 spread over both lines.
    expect(view.totals).toMatchObject({ listMinor: 1_917, discountMinor: 372, grossMinor: 1_545 });
    expect(view.lines[0]!.discounts.map((d) => [d.reason, d.basket])).toEqual([
      ['damaged label', false],
      ['staff', true],
    ]);
    expect(view.totals.byRate.reduce((a, r) => a + r.netMinor + r.taxMinor, 0)).toBe(1_545);

    const sale = await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 2_000 }]);
    expect(sale).toMatchObject({ grossMinor: 1_545, changeMinor: 455 });
    const p = s.lastSale();
    expect(p.discountMinor).toBe(372);
    expect(p.lines[0]).toMatchObject({ listMinor: 1_798, discountMinor: 200 + 160 });
    const text = s.register.receipt(sale.saleId, 'text');
    expect(text).toContain('Discount: damaged label');
    expect(text).toContain('Basket discount: staff');
    expect(text).toMatch(/You saved\s+3,72/);
    expect(s.register.xReport().discounts).toEqual({ count: 2, totalMinor: 372 });
  });

  it('asks a manager above the threshold, refuses a wrong PIN, records the approver on the sale', async () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    const before = s.register.getCart(cart.id);
    const asked = thrown(() => s.register.addDiscount(cart.id, { percent: 50, reason: 'friend' }));
    expect(asked).toBeInstanceOf(ApprovalError);
    expect(asked.toJSON()).toMatchObject({ error: 'approval_required', field: 'discount' });
    expect(asked.status).toBe(403);
    const denied = thrown(() =>
      s.register.addDiscount(cart.id, {
        percent: 50,
        reason: 'friend',
        managerPin: { managerId: 'M1', pin: '0000' },
      }),
    );
    expect(denied.toJSON()).toMatchObject({ error: 'approval_denied' });
    expect(s.register.getCart(cart.id)).toEqual(before);
    // An amount is measured against what it applies to: 5.00 of 8.99 is over 20 %.
    expect(thrown(() => s.register.addDiscount(cart.id, { amountMinor: 500, reason: 'x' })).status).toBe(403);
    s.register.addDiscount(cart.id, { percent: 50, reason: 'friend', managerPin: MANAGER_APPROVAL });
    await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 500 }]);
    expect(s.lastSale().lines[0]!.discounts).toEqual([
      expect.objectContaining({ reason: 'friend', percentBp: 5_000, approvedBy: 'M1', amountMinor: 450 }),
    ]);
  });

  it('locks approvals after too many wrong PINs', () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    for (let i = 0; i < 5; i++)
      thrown(() =>
        s.register.addDiscount(cart.id, {
          percent: 50,
          reason: 'x',
          managerPin: { managerId: 'M1', pin: '1111' },
        }),
      );
    const locked = thrown(() =>
      s.register.addDiscount(cart.id, { percent: 50, reason: 'x', managerPin: MANAGER_APPROVAL }),
    );
    expect(locked.message).toMatch(/too many wrong PINs/);
    s.clock.advance(61_000);
    expect(
      s.register.addDiscount(cart.id, { percent: 50, reason: 'x', managerPin: MANAGER_APPROVAL }).totals
        .grossMinor,
    ).toBe(449);
  });

  it('overrides a price with a reason and a manager, keeping the catalog price on the sale', async () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 1);
    expect(
      thrown(() => s.register.overridePrice(cart.id, 1, { unitPriceMinor: 500, reason: 'price match' }))
        .status,
    ).toBe(403);
    const v = s.register.overridePrice(cart.id, 1, {
      unitPriceMinor: 500,
      reason: 'price match',
      managerPin: MANAGER_APPROVAL,
    });
    expect(v.totals.grossMinor).toBe(500);
    const sale = await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 500 }]);
    expect(s.lastSale().lines[0]!.priceOverride).toEqual({
      fromMinor: 899,
      reason: 'price match',
      approvedBy: 'M1',
    });
    expect(s.register.receipt(sale.saleId, 'text')).toContain('price changed from 8,99: price match');
  });

  it('refuses discounts without a reason, with both or neither of amount and percent, or beyond the line', () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'MILK', 1);
    const n = s.count();
    const cases: [Parameters<typeof s.register.addDiscount>[1], string][] = [
      [{ amountMinor: 10 }, 'reason'],
      [{ reason: 'x' }, 'amountMinor'],
      [{ amountMinor: 10, percent: 5, reason: 'x' }, 'amountMinor'],
      [{ amountMinor: 500, reason: 'x' }, 'amountMinor'],
      [{ percent: 0, reason: 'x' }, 'percent'],
      [{ lineNo: 9, amountMinor: 1, reason: 'x' }, 'lineNo'],
    ];
    for (const [input, field] of cases)
      expect(thrown(() => s.register.addDiscount(cart.id, input)).field).toBe(field);
    expect(s.register.getCart(cart.id).discounts).toEqual([]);
    expect(s.count()).toBe(n);
  });
});

describe('scanning', () => {
  it('weighs items sold by weight, by PLU, and refuses them without a weight', async () => {
    const s = setup();
    const cart = s.register.createCart();
    expect(thrown(() => s.register.addLine(cart.id, '4011')).field).toBe('weightGrams');
    expect(thrown(() => s.register.addLine(cart.id, 'MILK', 1, { weightGrams: 100 })).field).toBe(
      'weightGrams',
    );
    expect(thrown(() => s.register.addLine(cart.id, '4011', 1, { weightGrams: 0 })).field).toBe(
      'weightGrams',
    );
    const v = s.register.addLine(cart.id, '4011', 1, { weightGrams: 1_234 });
    // 1.234 kg × €2.49/kg = €3.07 (3.07266 rounded half away from zero)
    expect(v.lines[0]).toMatchObject({
      sku: 'BANANA',
      measure: { amount: 1_234, unit: 'g', per: 1_000 },
      grossMinor: 307,
    });
    const sale = await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 500 }]);
    expect(s.register.receipt(sale.saleId, 'text')).toContain('1,234 kg x 2,49/kg');
  });

  it('reads embedded price and weight EAN-13s (prefix 2) through the item reference', () => {
    const s = setup();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, embedded('21', '12345', 455));
    const v = s.register.addLine(cart.id, embedded('28', '12345', 250));
    expect(v.lines.map((l) => [l.sku, l.embedded, l.grossMinor])).toEqual([
      ['CHEESE', 'price', 455],
      ['CHEESE', 'weight', 498], // 0.250 kg × €19.90/kg = €4.975 → €4.98
    ]);
  });

  it('answers unknown barcodes and bad check digits with an error on code, and quantity 0 on qty', () => {
    const s = setup();
    const cart = s.register.createCart();
    expect(thrown(() => s.register.addLine(cart.id, '4006381333931'))).toMatchObject({
      code: 'not_found',
      field: 'code',
    });
    expect(thrown(() => s.register.addLine(cart.id, '4006381333932'))).toMatchObject({
      code: 'validation',
      field: 'code',
    });
    expect(thrown(() => s.register.addLine(cart.id, embedded('21', '99999', 100)))).toMatchObject({
      field: 'code',
    });
    expect(thrown(() => s.register.addLine(cart.id, 'MILK', 0))).toMatchObject({ field: 'qty' });
    expect(s.register.getCart(cart.id).lines).toEqual([]);
  });

  it('finds items by name, SKU, barcode prefix and PLU, ranked, without inactive ones', () => {
    const s = setup();
    expect(s.register.searchItems('milk').map((p) => p.sku)).toEqual(['MILK']);
    expect(s.register.searchItems('4011')[0]).toMatchObject({ sku: 'BANANA', soldBy: 'weight' });
    expect(s.register.searchItems('40000').map((p) => p.sku)).toEqual(['MILK']);
    expect(s.register.searchItems('gouda counter').map((p) => p.sku)).toEqual(['CHEESE']);
    expect(s.register.searchItems('gone')).toEqual([]);
    expect(thrown(() => s.register.searchItems(' ')).field).toBe('q');
  });
});
