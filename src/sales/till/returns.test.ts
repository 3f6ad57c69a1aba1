import { afterEach, describe, expect, it } from 'vitest';
import { openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { rejection } from '../../../test/helpers/refusals.ts';
import { SALES_EVENT_TYPES, type SaleReturned, saleReturnedSchema, shiftClosedSchema } from '../events.ts';

afterEach(removeTestTills);

function setup() {
  const till = openTestTill();
  const count = (): number => till.db.prepare('SELECT COUNT(*) FROM ledger').pluck().get() as number;
  const returned = (): SaleReturned[] =>
    till.ledger
      .range(1, 1_000)
      .filter((e) => e.type === SALES_EVENT_TYPES.saleReturned)
      .map((e) => saleReturnedSchema.parse(e.payload));
  return { ...till, count, returned };
}

describe('returns with a receipt', () => {
  it('returns a whole card sale: the card is refunded by its token, one sale.returned event', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const sale = await s.sell([['WINE', 2]], [{ kind: 'card', amountMinor: 1_798 }]);
    const card = sale.tenders[0];
    if (card?.kind !== 'card') throw new Error('expected a card tender');
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 2 }],
      refundTo: 'original',
      reason: 'corked',
    });
    expect(r.refundMinor).toBe(1_798);
    expect(r.refunds).toEqual([
      expect.objectContaining({
        kind: 'card',
        amountMinor: 1_798,
        token: card.token,
        maskedPan: card.maskedPan,
      }),
    ]);
    expect(s.provider.authorizations[0]).toMatchObject({ token: card.token, refundedMinor: 1_798 });
    const [event] = s.returned();
    const original = s.ledger.saleById(sale.saleId)?.payload as { netMinor: number; taxMinor: number };
    expect(event).toMatchObject({
      originalSaleId: sale.saleId,
      originalReceiptNo: sale.receiptNo,
      cashierId: 'alice',
      reason: 'corked',
      totals: { grossMinor: 1_798, netMinor: original.netMinor, taxMinor: original.taxMinor },
      lines: [{ originalLineNo: 1, sku: 'WINE', qty: 2, grossMinor: 1_798 }],
    });
    expect(s.register.saleByReceipt(sale.receiptNo).lines[0]).toMatchObject({
      returnedQty: 2,
      returnableQty: 0,
    });
  });

  it('returns 1 of 3 units at the price paid, in cash, with the tax of that unit', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 1_000 });
    const sale = await s.sell([['MILK', 3]], [{ kind: 'cash', tenderedMinor: 500 }]);
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'original',
      reason: 'sour',
    });
    expect(r).toMatchObject({ refundMinor: 119, refunds: [{ kind: 'cash', amountMinor: 119 }] });
    // The line's tax of 23 split per unit is 8 + 8 + 7: the first unit back carries 8.
    expect(s.returned()[0]?.lines).toEqual([
      { originalLineNo: 1, sku: 'MILK', qty: 1, taxRateBp: 700, netMinor: 111, taxMinor: 8, grossMinor: 119 },
    ]);
  });

  it('two partial returns of one line add up exactly to the line', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const sale = await s.sell(
      [
        ['WINE', 1],
        ['MILK', 3],
      ],
      [{ kind: 'card', amountMinor: 1_256 }],
    );
    const line = s.register.sale(sale.saleId).payload.lines[1]!;
    await s.register.returnItems({ saleId: sale.saleId, lines: [{ lineNo: 2, qty: 1 }], reason: 'sour' });
    await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 2, qty: 2 }],
      reason: 'sour',
    });
    const lines = s.returned().flatMap((e) => e.lines);
    const sum = (k: 'netMinor' | 'taxMinor' | 'grossMinor') => lines.reduce((t, l) => t + l[k], 0);
    expect([sum('netMinor'), sum('taxMinor'), sum('grossMinor')]).toEqual([
      line.netMinor,
      line.taxMinor,
      line.grossMinor,
    ]);
    expect(s.provider.authorizations[0]?.refundedMinor).toBe(357);
    expect(s.register.saleByReceipt(sale.receiptNo).lines.map((l) => l.returnableQty)).toEqual([1, 0]);
  });

  it('refuses a second return of the same unit and leaves the ledger unchanged', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 1_000 });
    const sale = await s.sell([['MILK', 3]], [{ kind: 'cash', tenderedMinor: 357 }]);
    await s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 2 }], reason: 'x' });
    const before = s.count();
    const e = await rejection(
      s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 2 }], reason: 'again' }),
    );
    expect(e).toMatchObject({ status: 400, field: 'lines[0].qty' });
    expect(e.message).toMatch(/only 1 /);
    await s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'x' });
    const again = await rejection(
      s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'again' }),
    );
    expect(again).toMatchObject({ status: 400, field: 'lines[0].qty' });
    expect(again.message).toMatch(/0 remaining/);
    expect(s.count()).toBe(before + 1);
  });

  it('answers 404 on receiptNo for a receipt this till never printed', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const before = s.count();
    const e = await rejection(
      s.register.returnItems({ receiptNo: 'T1-999999', lines: [{ lineNo: 1, qty: 1 }], reason: 'x' }),
    );
    expect(e).toMatchObject({ status: 404, field: 'receiptNo' });
    expect(() => s.register.saleByReceipt('T9-000001')).toThrow(
      expect.objectContaining({ field: 'receiptNo' }),
    );
    expect(s.count()).toBe(before);
  });

  it('refuses a cash refund when no shift is open', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const sale = await s.sell([['WINE', 1]], [{ kind: 'card', amountMinor: 899 }]);
    s.register.closeShift({});
    const before = s.count();
    const e = await rejection(
      s.register.returnItems({
        receiptNo: sale.receiptNo,
        lines: [{ lineNo: 1, qty: 1 }],
        refundTo: 'cash',
        reason: 'x',
      }),
    );
    expect(e).toMatchObject({ status: 409, field: 'shift' });
    expect(s.count()).toBe(before);
    expect(s.provider.authorizations[0]?.refundedMinor).toBe(0);
  });

  it('answers 402 on refundTo when the card refund fails, and records nothing', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const sale = await s.sell([['WINE', 1]], [{ kind: 'card', amountMinor: 899 }]);
    s.provider.authorizations[0]!.refundedMinor = 899; // the processor thinks it was already refunded
    const before = s.count();
    const e = await rejection(
      s.register.returnItems({ receiptNo: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'x' }),
    );
    expect(e).toMatchObject({ status: 402, field: 'refundTo' });
    expect(s.count()).toBe(before);
    expect(s.register.saleByReceipt(sale.receiptNo).lines[0]?.returnableQty).toBe(1);
  });

  it('splits a return of a split-tender sale: card up to what it paid, the rest in cash', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 1_000 });
    const sale = await s.sell(
      [['WINE', 1]],
      [
        { kind: 'card', amountMinor: 500 },
        { kind: 'cash', tenderedMinor: 399 },
      ],
    );
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'x',
    });
    expect(r.refunds.map((f) => [f.kind, f.amountMinor])).toEqual([
      ['card', 500],
      ['cash', 399],
    ]);
  });

  it('shows the return in the Z report and takes cash refunds off the expected cash', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 10_000 });
    const cash = await s.sell([['WINE', 2]], [{ kind: 'cash', tenderedMinor: 2_000 }]);
    const card = await s.sell([['MILK', 3]], [{ kind: 'card', amountMinor: 357 }]);
    await s.register.returnItems({ receiptNo: cash.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'x' });
    await s.register.returnItems({ receiptNo: card.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: 'x' });
    expect(s.register.xReport().cash.expectedMinor).toBe(10_000 + 1_798 - 899);
    const closed = s.register.closeShift({ countedCashMinor: 10_899 });
    expect(closed.report.returns).toEqual({
      count: 2,
      totalMinor: 899 + 119,
      cashMinor: 899,
      storeCreditMinor: 0,
      cardMinor: 119,
    });
    expect(closed.report.cash).toMatchObject({
      cashSalesMinor: 1_798,
      cashRefundsMinor: 899,
      expectedMinor: 10_899,
      differenceMinor: 0,
    });
    expect(shiftClosedSchema.parse(closed)).toMatchObject({
      expectedCashMinor: 10_899,
      returnsCount: 2,
      returnsMinor: 1_018,
      cashRefundsMinor: 899,
    });
  });

  it('checks the request: lines, refundTo and reason', async () => {
    const s = setup();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 1_000 });
    const sale = await s.sell([['WINE', 1]], [{ kind: 'cash', tenderedMinor: 899 }]);
    const base = { receiptNo: sale.receiptNo, reason: 'x' };
    const before = s.count();
    const cases: [Parameters<typeof s.register.returnItems>[0], string][] = [
      [{ ...base, lines: [] }, 'lines'],
      [{ ...base, lines: [{ lineNo: 2, qty: 1 }] }, 'lines[0].lineNo'],
      [{ ...base, lines: [{ lineNo: 1, qty: 0 }] }, 'lines[0].qty'],
      [{ ...base, lines: [{ lineNo: 1, qty: 2 }] }, 'lines[0].qty'],
      [{ ...base, lines: [{ lineNo: 1, qty: 1 }], refundTo: 'gift' as 'cash' }, 'refundTo'],
      [{ ...base, lines: [{ lineNo: 1, qty: 1 }], reason: ' ' }, 'reason'],
    ];
    for (const [input, field] of cases)
      expect(await rejection(s.register.returnItems(input))).toMatchObject({ status: 400, field });
    expect(s.count()).toBe(before);
  });
});
