import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { cornerShopConfig, cornerShopItems } from '../../../test/fixtures/till.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { fixedClock } from '../../core/index.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import { type PromotionInput, storePricing } from '../../pricing/index.ts';
import { saleCompletedSchema } from '../events.ts';
import { type PromotionUseAuthority, UseAuthorityUnreachable } from './promotion-use-client.ts';
import { createRegister } from './register.ts';

const tempDir = tempDirs('promo-uses');
const milkOff = (limits: PromotionInput['limits'], couponCodes?: string[]): PromotionInput => ({
  id: 'P-MILK',
  name: 'Milk 0.50 off',
  kind: 'amountOff',
  target: { skus: ['MILK'] },
  amountMinor: 50,
  limits,
  ...(couponCodes ? { couponCodes } : {}),
});

/** A till whose HQ answers as `hq` says, selling milk under one limited promotion. */
function till(promotion: PromotionInput, hq: PromotionUseAuthority) {
  const clock = fixedClock('2026-03-02T09:15:00Z');
  const { ledger } = openTestLedger(join(tempDir(), 'ledger.db'), { clock, timeZone: 'Europe/Berlin' });
  const pricing = storePricing({
    storeId: 's1',
    timeZone: 'Europe/Berlin',
    promotions: [promotion],
    taxJurisdictions: [],
  }).pricing;
  const register = createRegister({
    ledger,
    items: { ...cornerShopItems, pricing: () => pricing },
    provider: new SimulatedProvider(),
    clock,
    logger: pino({ level: 'silent' }),
    config: cornerShopConfig(),
    promotionUseAuthority: hq,
  });
  register.openShift({ cashierId: 'C1', openingFloatMinor: 0 });
  const sellMilk = async (coupon?: string) => {
    const cart = register.createCart();
    register.addLine(cart.id, 'MILK', 1);
    if (coupon) register.addCoupon(cart.id, coupon);
    return { cartId: cart.id, sale: register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 500 }]) };
  };
  const promotionsOf = (saleId: string) =>
    saleCompletedSchema.parse(register.sale(saleId).payload).promotions;
  return { register, sellMilk, promotionsOf };
}

const unreachable: PromotionUseAuthority = {
  reserve: async () => {
    throw new UseAuthorityUnreachable('connect ECONNREFUSED');
  },
  release: async () => {
    throw new UseAuthorityUnreachable('connect ECONNREFUSED');
  },
};

describe('limited promotions at the till', () => {
  it('offline, a till gives a limited promotion twice by default, marks it on the sale, then says why not', async () => {
    const t = till(milkOff({ total: 100 }), unreachable);
    for (let i = 0; i < 2; i++) {
      const { sale } = await t.sellMilk();
      const done = await sale;
      expect(done.grossMinor).toBe(69);
      expect(t.promotionsOf(done.saleId)).toEqual([
        expect.objectContaining({ promotionId: 'P-MILK', offlineUse: true }),
      ]);
    }
    const third = await t.sellMilk();
    await expect(third.sale).rejects.toThrow(
      /Milk 0\.50 off: HQ cannot be reached and this till has given the 2 offline uses it may/,
    );
    expect(t.register.getCart(third.cartId).totals.grossMinor).toBe(119);
    expect((await t.register.complete(third.cartId, [{ kind: 'cash', tenderedMinor: 500 }])).grossMinor).toBe(
      119,
    );
  });

  it('a single-use code is never spent offline', async () => {
    const t = till(milkOff({ perCode: 1 }, ['ONE1']), unreachable);
    await expect((await t.sellMilk('ONE1')).sale).rejects.toThrow(/HQ cannot be reached/);
  });

  it('when HQ answers again, the till may give its offline uses again', async () => {
    let up = false;
    const hq: PromotionUseAuthority = {
      reserve: async () => {
        if (!up) throw new UseAuthorityUnreachable('down');
        return { status: 'reserved', useId: '0190a000-0000-7000-8000-000000000001' };
      },
      release: async () => {},
    };
    const t = till(milkOff({ total: 100, offlinePerTill: 1 }), hq);
    await (await t.sellMilk()).sale;
    await expect((await t.sellMilk()).sale).rejects.toThrow(/given the 1 offline use it may/);
    up = true;
    const online = await (await t.sellMilk()).sale;
    expect(t.promotionsOf(online.saleId)?.[0]?.useId).toBe('0190a000-0000-7000-8000-000000000001');
    up = false;
    expect((await (await t.sellMilk()).sale).grossMinor).toBe(69);
  });

  it('a reservation is given back when the sale cannot be recorded', async () => {
    const released: string[] = [];
    const hq: PromotionUseAuthority = {
      reserve: async () => ({ status: 'reserved', useId: '0190a000-0000-7000-8000-000000000002' }),
      release: async (id) => {
        released.push(id);
      },
    };
    const t = till(milkOff({ total: 5 }), hq);
    const cart = t.register.createCart();
    t.register.addLine(cart.id, 'MILK', 1);
    // A gift card this till does not know: refused after HQ reserved the use.
    await expect(
      t.register.complete(cart.id, [{ kind: 'gift_card', code: '6035711234567890', amountMinor: 69 }]),
    ).rejects.toThrow(/not found/);
    expect(released).toEqual(['0190a000-0000-7000-8000-000000000002']);
  });

  it('a promotion without limits never asks HQ', async () => {
    const hq: PromotionUseAuthority = {
      reserve: async () => {
        throw new Error('must not be asked');
      },
      release: async () => {},
    };
    const t = till(milkOff({ perCart: 3 }), hq);
    const done = await (await t.sellMilk()).sale;
    expect(t.promotionsOf(done.saleId)).toEqual([
      { promotionId: 'P-MILK', name: 'Milk 0.50 off', kind: 'amountOff', amountMinor: 50 },
    ]);
  });
});
