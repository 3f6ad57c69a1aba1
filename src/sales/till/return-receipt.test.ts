import { afterEach, describe, expect, it } from 'vitest';
import { openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';

afterEach(removeTestTills);

const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe('refund and gift card slips', () => {
  it('a refund slip shows the original receipt, the lines at the price paid, tax by rate and the refund tenders', async () => {
    const s = openTestTill();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 2);
    s.register.addLine(cart.id, 'MILK', 1);
    // 10 % off the wine: the refund must be the price paid (8.09 a bottle), not the shelf price 8.99.
    s.register.addDiscount(cart.id, { lineNo: 1, percent: 10, reason: 'loyal customer' });
    const sale = await s.register.complete(cart.id, [{ kind: 'card', amountMinor: 1_737 }]);
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'original',
      reason: 'corked',
    });
    const text = s.register.returnReceipt(r.returnId, 'text');
    expect(text).toContain('REFUND');
    expect(text).toContain(`Original receipt ${sale.receiptNo}`);
    expect(text).toMatch(/Red wine\s+-8,09/);
    expect(text).toContain('1 x 8,09 paid');
    expect(text).toMatch(/REFUND TOTAL\s+EUR 8,09/);
    expect(text).toMatch(/19% on net 6,80\s+1,29/);
    expect(text).toMatch(/Card \*\*\*\*4242\s+8,09/);
    expect(text).toContain('Reason: corked');
    const bytes = decode(s.register.returnReceipt(r.returnId, 'escpos'));
    expect(bytes).toContain('Original receipt');
    expect(bytes).toContain(sale.receiptNo);
    expect(bytes).toContain('\x1dV'); // the paper cut
    expect(() => s.register.returnReceipt('nope', 'text')).toThrow(/return nope on this till not found/);
  });

  it('a store-credit refund shows the new voucher masked to its last 4 digits, never its code', async () => {
    const s = openTestTill();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const sale = await s.sell([['WINE', 1]], [{ kind: 'cash', tenderedMinor: 1_000 }]);
    const r = await s.register.returnItems({
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'store_credit',
      reason: 'gift',
    });
    const text = s.register.returnReceipt(r.returnId, 'text');
    const code = r.storeCreditCode!;
    expect(text).toMatch(
      new RegExp(`Store credit \\*\\*\\*\\* \\*\\*\\*\\* \\*\\*\\*\\* ${code.slice(-4)}\\s+8,99`),
    );
    expect(text).not.toContain(code);
  });

  it('a gift card slip shows the card masked to its last 4 digits and the new balance, never the code', async () => {
    const s = openTestTill();
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const sold = await s.register.sellGiftCard({
      amountMinor: 2_500,
      tenders: [{ kind: 'cash', tenderedMinor: 3_000 }],
      load: false,
    });
    const text = s.register.giftCardReceipt(sold.eventId, 'text');
    expect(text).toContain('GIFT CARD');
    expect(text).toMatch(new RegExp(`Card\\s+\\*\\*\\*\\* \\*\\*\\*\\* \\*\\*\\*\\* ${sold.last4}`));
    expect(text).toMatch(/Value\s+25,00/);
    expect(text).toMatch(/Change\s+5,00/);
    expect(text).toMatch(/NEW BALANCE\s+EUR 25,00/);
    expect(text).not.toContain(sold.code!);

    const loaded = await s.register.sellGiftCard({
      code: sold.code,
      amountMinor: 1_000,
      tenders: [{ kind: 'cash', tenderedMinor: 1_000 }],
      load: true,
    });
    const topUp = s.register.giftCardReceipt(loaded.eventId, 'text');
    expect(topUp).toContain('GIFT CARD TOP-UP');
    expect(topUp).toMatch(/Loaded\s+10,00/);
    expect(topUp).toMatch(/NEW BALANCE\s+EUR 35,00/);
    const bytes = decode(s.register.giftCardReceipt(loaded.eventId, 'escpos'));
    expect(bytes).toContain('NEW BALANCE');
    expect(bytes).not.toContain(sold.code!);
    expect(() => s.register.giftCardReceipt(s.ledger.range(1, 1)[0]!.id, 'text')).toThrow(/not found/);
  });
});
