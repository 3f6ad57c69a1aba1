import { afterEach, describe, expect, it } from 'vitest';
import { openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { SALES_EVENT_TYPES } from '../events.ts';

afterEach(removeTestTills);

async function saleWithDiscount() {
  const s = openTestTill();
  s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
  const cart = s.register.createCart();
  s.register.addLine(cart.id, 'WINE', 1);
  s.register.addLine(cart.id, 'MILK', 2);
  s.register.addDiscount(cart.id, { lineNo: 1, amountMinor: 99, reason: 'dented box' });
  const sale = await s.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 2_000 }]);
  return { ...s, sale };
}

describe('receipts', () => {
  it('prints discounts, tax by rate and the return-policy footer', async () => {
    const { register, sale } = await saleWithDiscount();
    const text = register.receipt(sale.saleId, 'text');
    expect(text).toContain('Discount: dented box');
    expect(text).toMatch(/7% on net/);
    expect(text).toMatch(/19% on net/);
    expect(text).toContain('Returns within 30 days with this receipt.');
    expect(text).not.toContain('COPY');
  });

  it('marks a reprint as a COPY and records it', async () => {
    const { register, sale, ledger } = await saleWithDiscount();
    const before = ledger.lastSeq();
    const copy = register.receipt(sale.saleId, 'text', { copy: true });
    expect(copy.match(/\*\*\* COPY \*\*\*/g)).toHaveLength(2);
    expect(ledger.lastSeq()).toBe(before + 1);
    expect(ledger.latestOf([SALES_EVENT_TYPES.receiptReprinted])?.payload).toMatchObject({
      saleId: sale.saleId,
      gift: false,
    });
  });

  it('prints a gift receipt with the items but no price, tender or tax', async () => {
    const { register, sale } = await saleWithDiscount();
    const gift = register.receipt(sale.saleId, 'text', { gift: true });
    expect(gift).toContain('GIFT RECEIPT');
    expect(gift).toContain('Red wine');
    expect(gift).toContain(sale.receiptNo);
    expect(gift).not.toMatch(/8\.99|8\.00|Cash|TOTAL|tax/);
  });

  it('carries the receipt number as a CODE128 barcode in the ESC/POS bytes', async () => {
    const { register, sale } = await saleWithDiscount();
    const bytes = Buffer.from(register.receipt(sale.saleId, 'escpos', { gift: true }));
    // GS k: print barcode; the receipt number follows in the data.
    expect(bytes.includes(Buffer.from([0x1d, 0x6b]))).toBe(true);
    expect(bytes.includes(Buffer.from(sale.receiptNo))).toBe(true);
    expect(bytes.includes(Buffer.from('GIFT RECEIPT'))).toBe(true);
  });
});
