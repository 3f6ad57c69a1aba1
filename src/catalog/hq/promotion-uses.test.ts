import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { newId } from '../../core/index.ts';
import type { PromotionInput } from '../../pricing/index.ts';
import { savePromotions } from './prices.ts';
import {
  promotionUseCounts,
  promotionUseExceptions,
  recordPromotionUses,
  releaseCartUses,
  releasePromotionUse,
  reservePromotionUse,
  returnPromotionUnits,
} from './promotion-uses.ts';

const base = { kind: 'amountOff' as const, target: { skus: ['MILK'] }, amountMinor: 50 };
const promotions: PromotionInput[] = [
  { ...base, id: 'TWO', name: 'Two in the chain', limits: { total: 2 } },
  { ...base, id: 'ONCE-EACH', name: 'Once per customer', limits: { perCustomer: 1 } },
  { ...base, id: 'CODES', name: 'Unique codes', couponCodes: ['AAA1', 'BBB2'], limits: { perCode: 1 } },
];
const at = new Date('2026-03-02T10:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const ask = (promotionId: string, cartId: string, more: Record<string, string> = {}) => ({
  promotionId,
  cartId,
  terminalId: 'S001-01',
  storeId: 'S001',
  ...more,
});

describe.each(hqBackends())('HQ counts promotion uses on $name', ({ open }) => {
  const h = useHqDb(open, { seed: (db) => savePromotions(db, promotions).then(() => undefined) });

  it('a promotion limited to two uses gives two carts a use and tells the third it is fully redeemed', async () => {
    expect(await reservePromotionUse(h.db, ask('TWO', 'c1'), at)).toMatchObject({ status: 'reserved' });
    expect(await reservePromotionUse(h.db, ask('TWO', 'c2'), at)).toMatchObject({ status: 'reserved' });
    expect(await reservePromotionUse(h.db, ask('TWO', 'c3'), at)).toEqual({
      status: 'refused',
      reason: 'fully_redeemed',
      message: 'Two in the chain: fully redeemed across the chain',
    });
  });

  it('asking again for the same cart answers with the same use and takes no second one', async () => {
    const a = await reservePromotionUse(h.db, ask('TWO', 'c1'), at);
    const b = await reservePromotionUse(h.db, ask('TWO', 'c1'), later(1));
    expect(b).toEqual(a);
    expect(await promotionUseCounts(h.db, at)).toEqual([{ promotionId: 'TWO', confirmed: 0, reserved: 1 }]);
  });

  it('a use given back, or a reservation never committed, frees its place for the next cart', async () => {
    const a = await reservePromotionUse(h.db, ask('TWO', 'c1'), at);
    await reservePromotionUse(h.db, ask('TWO', 'c2'), at);
    if (a.status !== 'reserved') throw new Error('reserved expected');
    expect(await releasePromotionUse(h.db, a.useId, 'S001-01', at)).toEqual({ released: true });
    expect(await releasePromotionUse(h.db, a.useId, 'S001-01', at)).toEqual({ released: false });
    expect(await reservePromotionUse(h.db, ask('TWO', 'c3'), at)).toMatchObject({ status: 'reserved' });
    // c2 and c3 hold both uses; after the time-out neither counts.
    expect(await reservePromotionUse(h.db, ask('TWO', 'c4'), later(5))).toMatchObject({ status: 'refused' });
    expect(await reservePromotionUse(h.db, ask('TWO', 'c4'), later(11))).toMatchObject({
      status: 'reserved',
    });
  });

  it('only the till that reserved a use may give it back, and not once a sale confirmed it', async () => {
    const a = await reservePromotionUse(h.db, ask('TWO', 'c1'), at);
    if (a.status !== 'reserved') throw new Error('reserved expected');
    await expect(releasePromotionUse(h.db, a.useId, 'S002-01', at)).rejects.toMatchObject({ status: 403 });
    await recordPromotionUses(
      h.db,
      [
        {
          promotionId: 'TWO',
          saleId: newId(),
          useId: a.useId,
          terminalId: 'S001-01',
          storeId: 'S001',
          units: 1,
        },
      ],
      at,
    );
    await expect(releasePromotionUse(h.db, a.useId, 'S001-01', at)).rejects.toMatchObject({ status: 409 });
    expect(await promotionUseCounts(h.db, later(60))).toEqual([
      { promotionId: 'TWO', confirmed: 1, reserved: 0 },
    ]);
  });

  it('a unique code is used once; the other code of the same promotion still works', async () => {
    expect(await reservePromotionUse(h.db, ask('CODES', 'c1', { couponCode: 'AAA1' }), at)).toMatchObject({
      status: 'reserved',
    });
    expect(await reservePromotionUse(h.db, ask('CODES', 'c2', { couponCode: 'AAA1' }), at)).toMatchObject({
      reason: 'code_used',
    });
    expect(await reservePromotionUse(h.db, ask('CODES', 'c3', { couponCode: 'BBB2' }), at)).toMatchObject({
      status: 'reserved',
    });
  });

  it('a customer who returns the whole purchase may use a once-per-customer offer again', async () => {
    const saleId = newId();
    const a = await reservePromotionUse(h.db, ask('ONCE-EACH', 'c1', { customerId: 'cust-1' }), at);
    if (a.status !== 'reserved') throw new Error('reserved expected');
    const fact = { promotionId: 'ONCE-EACH', saleId, useId: a.useId, terminalId: 'S001-01', storeId: 'S001' };
    await recordPromotionUses(h.db, [{ ...fact, customerId: 'cust-1', units: 3 }], at);
    expect(
      await reservePromotionUse(h.db, ask('ONCE-EACH', 'c2', { customerId: 'cust-1' }), at),
    ).toMatchObject({
      reason: 'customer_limit',
    });
    const back = (units: number) => ({ returnId: newId(), saleId, units });
    const firstReturn = back(2);
    await returnPromotionUnits(h.db, firstReturn, at);
    await returnPromotionUnits(h.db, firstReturn, at); // replayed: counted once
    expect(
      await reservePromotionUse(h.db, ask('ONCE-EACH', 'c3', { customerId: 'cust-1' }), at),
    ).toMatchObject({
      reason: 'customer_limit',
    });
    await returnPromotionUnits(h.db, back(1), at);
    expect(
      await reservePromotionUse(h.db, ask('ONCE-EACH', 'c4', { customerId: 'cust-1' }), at),
    ).toMatchObject({
      status: 'reserved',
    });
  });

  it('a voided cart releases what it still held', async () => {
    await reservePromotionUse(h.db, ask('TWO', 'c1'), at);
    await reservePromotionUse(h.db, ask('TWO', 'c2'), at);
    await releaseCartUses(h.db, 'c1', 'S001-01', at);
    expect(await reservePromotionUse(h.db, ask('TWO', 'c3'), at)).toMatchObject({ status: 'reserved' });
  });

  it('offline uses are counted on ingest, never refused, and an overrun is an exception naming how far over', async () => {
    const offline = (n: number) => ({
      promotionId: 'TWO',
      saleId: `00000000-0000-7000-8000-00000000000${n}`,
      terminalId: 'S001-02',
      storeId: 'S001',
      units: 1,
    });
    await recordPromotionUses(h.db, [offline(1), offline(2), offline(3), offline(4)], at);
    // Seen again (a redelivery): nothing more counted or raised.
    await recordPromotionUses(h.db, [offline(4)], at);
    expect(await promotionUseCounts(h.db, at)).toEqual([{ promotionId: 'TWO', confirmed: 4, reserved: 0 }]);
    const ex = await promotionUseExceptions(h.db, { stores: ['S001'], limit: 10 });
    expect(ex.map((e) => [e.saleId.slice(-1), e.limitName, e.overBy])).toEqual([
      ['4', 'fully_redeemed', 2],
      ['3', 'fully_redeemed', 1],
    ]);
    expect(await promotionUseExceptions(h.db, { stores: ['S002'], limit: 10 })).toEqual([]);
  });
});
