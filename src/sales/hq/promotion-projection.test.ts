import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../core/index.ts';
import { SALES_EVENT_TYPES } from '../events.ts';
import { promotionEffectsOf } from './promotion-projection.ts';

const envelope = (type: string, payload: unknown, businessDate = '2026-03-03'): EventEnvelope =>
  ({
    id: 'e',
    type,
    payload,
    storeId: 'S001',
    terminalId: 'S001-01',
    businessDate,
  }) as unknown as EventEnvelope;

const line = (lineNo: number, sku: string, qty: number, promotionId?: string) => ({
  lineNo,
  sku,
  qty,
  ...(promotionId
    ? { discounts: [{ id: promotionId, reason: 'x', amountMinor: 10, basket: false, promotionId }] }
    : {}),
});

describe('what sales events tell the promotion ledger and panel', () => {
  it('a sale confirms its reserved use, counts its offline one, and gives the panel uses, discount and units', () => {
    const sale = envelope(SALES_EVENT_TYPES.saleCompleted, {
      saleId: 'sale-1',
      customerId: 'cust-1',
      lines: [line(1, 'MILK', 2, 'A'), line(2, 'BREAD', 1), line(3, 'TEA', 1, 'B')],
      promotions: [
        { promotionId: 'A', name: 'A', kind: 'amountOff', amountMinor: 20, useId: 'use-1' },
        {
          promotionId: 'B',
          name: 'B',
          kind: 'amountOff',
          amountMinor: 10,
          offlineUse: true,
          couponCode: 'X1',
        },
        { promotionId: 'C', name: 'C', kind: 'basketOff', amountMinor: 0 },
      ],
    });
    const fx = promotionEffectsOf([sale]);
    expect(fx.uses).toEqual([
      expect.objectContaining({
        promotionId: 'A',
        useId: 'use-1',
        saleId: 'sale-1',
        units: 4,
        customerId: 'cust-1',
      }),
      expect.objectContaining({ promotionId: 'B', useId: undefined, couponCode: 'X1', units: 4 }),
    ]);
    expect(fx.days).toContainEqual({
      promotionId: 'A',
      storeId: 'S001',
      businessDate: '2026-03-03',
      uses: 1,
      discountMinor: 20,
      units: 2,
    });
    expect(fx.skus).toEqual([
      { promotionId: 'A', sku: 'MILK' },
      { promotionId: 'B', sku: 'TEA' },
    ]);
  });

  it('a return names its sale and units; a voided cart names the cart', () => {
    const fx = promotionEffectsOf([
      envelope(SALES_EVENT_TYPES.saleReturned, {
        returnId: 'r1',
        originalSaleId: 'sale-1',
        lines: [{ qty: 2 }, { qty: 1 }],
      }),
      envelope(SALES_EVENT_TYPES.saleReturned, { returnId: 'r2', lines: [{ qty: 1 }] }),
      envelope(SALES_EVENT_TYPES.saleVoided, { cartId: 'cart-9' }),
    ]);
    expect(fx.returns).toEqual([
      {
        returnId: 'r1',
        saleId: 'sale-1',
        units: 3,
        lines: [
          { lineNo: undefined, qty: 2 },
          { lineNo: undefined, qty: 1 },
        ],
      },
    ]);
    expect(fx.voided).toEqual([{ cartId: 'cart-9', terminalId: 'S001-01' }]);
  });
});
