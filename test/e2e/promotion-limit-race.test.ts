import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/terminals.ts';
import { buildHqApp } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import type { App } from '../../src/apps/shared/http.ts';
import { savePromotions } from '../../src/catalog/hq/prices.ts';
import { promotionUseCounts } from '../../src/catalog/hq/promotion-uses.ts';
import { createStore } from '../../src/catalog/hq/stores.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { HqDb } from '../../src/db/hq-db.ts';
import { SimulatedProvider } from '../../src/payments/simulated.ts';
import type { PromotionInput } from '../../src/pricing/index.ts';
import { storePricing } from '../../src/pricing/index.ts';
import { type SaleCompleted, saleCompletedSchema } from '../../src/sales/events.ts';
import { hqPromotionUseClient } from '../../src/sales/till/promotion-use-client.ts';
import { createRegister, type Register } from '../../src/sales/till/register.ts';
import { ingestBatch } from '../../src/sync/hq/ingest.ts';
import type { Ledger } from '../../src/sync/ledger.ts';
import { cornerShopConfig, cornerShopItems } from '../fixtures/till.ts';
import { hqBackends, silentLogger } from '../helpers/hq-db.ts';
import { berlinStore } from '../helpers/stores.ts';
import { tempDirs } from '../helpers/temp-dirs.ts';
import { openTestLedger } from '../helpers/till-ledger.ts';

/**
 * Eight tills race for the last use of a limited coupon while HQ is up: HQ's row-locked reservation
 * gives it to exactly one; the other seven are told, their carts re-priced, and they sell at full price.
 * On PGlite requests queue in one connection; with TALLY_TEST_PG_URL the race runs on PostgreSQL.
 */
const TILLS = 8;
const coupon: PromotionInput = {
  id: 'P-LAST',
  name: 'Coupon LAST: 1.00 off milk',
  kind: 'amountOff',
  target: { skus: ['MILK'] },
  amountMinor: 100,
  couponCodes: ['LAST'],
  limits: { total: 1 },
};

/** The till's fetch, answered by HQ's app in this process (headers, body and status as over HTTP). */
const injectFetch = (app: App): typeof fetch =>
  (async (url: string | URL, init?: RequestInit) => {
    const u = new URL(String(url));
    const res = await app.inject({
      method: (init?.method ?? 'GET') as 'POST',
      url: u.pathname + u.search,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(init?.body ? { payload: String(init.body) } : {}),
    });
    return new Response(res.body, {
      status: res.statusCode,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;

/**
 * On PostgreSQL, makes the race certain rather than likely: a transaction holds promotion_uses in
 * EXCLUSIVE mode (reads pass, inserts wait) until all eight reservations are waiting on a lock, so
 * every one of them has started before any can write. Without the promotion's row lock all eight
 * would count no use and insert one each; with it, seven wait and then count the first.
 */
async function heldUntilAllWait(db: HqDb, waiting: number, race: () => Promise<unknown>): Promise<void> {
  let free!: () => void;
  const held = new Promise<void>((r) => {
    free = r;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const holder = db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE promotion_uses IN EXCLUSIVE MODE`.execute(trx);
    locked();
    await held;
  });
  await isLocked;
  const racing = race();
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND query LIKE '%promotion%'`.execute(db);
    if (Number(rows[0]?.n) >= waiting) break;
    await sleep(20);
  }
  free();
  await holder;
  await racing;
}

describe.each(hqBackends())(
  'the last use of a limited coupon, 8 tills at once, on $name',
  ({ name, open }) => {
    const tempDir = tempDirs('promo-race', 'all');
    let close: () => Promise<void>;
    let app: App;
    let db: Awaited<ReturnType<typeof open>>['db'];
    const tills: { register: Register; ledger: Ledger; terminalId: string }[] = [];

    beforeAll(async () => {
      const h = await open();
      db = h.db;
      app = await buildHqApp({ db, logger: silentLogger });
      close = async () => {
        await app.close();
        await h.close();
      };
      await createStore(db, berlinStore('S001'));
      await savePromotions(db, [coupon]);
      const pricing = storePricing({
        storeId: 'S001',
        timeZone: 'Europe/Berlin',
        promotions: [coupon],
        taxJurisdictions: [],
      }).pricing;
      const dir = tempDir();
      for (let i = 1; i <= TILLS; i++) {
        const terminalId = `S001-R${i}`;
        const { token } = await enrollTerminal(db, { storeId: 'S001', terminalId });
        const clock = fixedClock('2026-03-02T09:15:00Z');
        const { ledger } = openTestLedger(join(dir, `${terminalId}.db`), {
          storeId: 'S001',
          terminalId,
          clock,
          timeZone: 'Europe/Berlin',
        });
        const register = createRegister({
          ledger,
          items: { ...cornerShopItems, pricing: () => pricing },
          provider: new SimulatedProvider(),
          clock,
          logger: pino({ level: 'silent' }),
          config: cornerShopConfig(),
          promotionUseAuthority: hqPromotionUseClient({
            hqUrl: 'http://hq.test',
            token,
            timeoutMs: 30_000,
            fetch: injectFetch(app),
          }),
        });
        register.openShift({ cashierId: 'C1', openingFloatMinor: 0 });
        tills.push({ register, ledger, terminalId });
      }
    }, 120_000);
    afterAll(() => close?.());

    it('exactly one sale carries the discount, the other seven are told and sell at full price', async () => {
      const carts = tills.map(({ register }) => {
        const cart = register.createCart();
        register.addLine(cart.id, 'MILK', 1);
        const withCoupon = register.addCoupon(cart.id, 'LAST');
        // Every till believes the coupon applies: no till knows what the others did.
        expect(withCoupon.totals.grossMinor).toBe(19);
        return cart.id;
      });
      const cash = [{ kind: 'cash' as const, tenderedMinor: 500 }];
      const race = () =>
        Promise.allSettled(tills.map(({ register }, i) => register.complete(carts[i]!, cash)));
      let first!: Awaited<ReturnType<typeof race>>;
      if (name === 'postgres')
        await heldUntilAllWait(db, TILLS, async () => {
          first = await race();
        });
      else first = await race();
      const won = first.filter((r) => r.status === 'fulfilled');
      const told = first.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(won[0]!.value.grossMinor).toBe(19);
      expect(told).toHaveLength(TILLS - 1);
      for (const r of told)
        expect(String(r.reason.message)).toMatch(/Coupon LAST: 1\.00 off milk: fully redeemed/);

      // The cashier sees the cart priced again without the promotion, and takes payment at full price.
      for (const [i, r] of first.entries()) {
        if (r.status === 'fulfilled') continue;
        const { register } = tills[i]!;
        const view = register.getCart(carts[i]!);
        expect(view.totals.grossMinor).toBe(119);
        expect(view.refusedPromotions?.[0]?.promotionId).toBe('P-LAST');
        const sale = await register.complete(carts[i]!, cash);
        expect(sale.grossMinor).toBe(119);
      }
      expect(await promotionUseCounts(db)).toEqual([{ promotionId: 'P-LAST', confirmed: 0, reserved: 1 }]);

      // The sales reach HQ: the one use is confirmed, and nothing else was counted.
      for (const { ledger, terminalId } of tills) {
        const events = ledger.range(1, Number.MAX_SAFE_INTEGER);
        const r = await ingestBatch(
          db,
          hqEventRegistry,
          { terminalId, storeId: 'S001' },
          { terminalId, events },
        );
        expect(r.rejected).toEqual([]);
      }
      expect(await promotionUseCounts(db)).toEqual([{ promotionId: 'P-LAST', confirmed: 1, reserved: 0 }]);
      const discounted = tills.flatMap(({ ledger }) =>
        ledger
          .range(1, Number.MAX_SAFE_INTEGER)
          .filter((e) => e.type === 'sale.completed')
          .map((e) => saleCompletedSchema.parse(e.payload) as SaleCompleted)
          .filter((p) => p.promotions?.length),
      );
      expect(discounted).toHaveLength(1);
      expect(discounted[0]!.promotions![0]!.useId).toBeTypeOf('string');
    }, 120_000);
  },
);
