import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from '../../../test/helpers/calls.ts';
import { bearer } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { enrollTerminal } from '../../access/index.ts';
import {
  addPromotionFacts,
  createStore,
  recordPromotionUses,
  savePromotions,
} from '../../catalog/hq/index.ts';
import { DASHBOARD_PATHS } from '../../contracts/index.ts';
import { fixedClock } from '../../core/index.ts';
import type { OpenHqDb } from '../../db/index.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-token-for-promotion-routes-0123456789';

describe.each(hqBackends())('promotion use routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let till: string;
  beforeAll(async () => {
    h = await open();
    app = await buildHqApp({
      db: h.db,
      logger: silentLogger,
      adminToken: ADMIN,
      clock: fixedClock('2026-03-05T12:00:00Z'),
    });
    for (const s of ['S001', 'S002']) await createStore(h.db, berlinStore(s));
    await savePromotions(h.db, [
      {
        id: 'SPRING',
        name: 'Spring milk',
        kind: 'amountOff',
        target: { skus: ['MILK'] },
        amountMinor: 20,
        schedule: { from: '2026-03-02', to: '2026-03-08' },
        limits: { total: 1 },
      },
    ]);
    till = (await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-01' })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('a till reserves the one use of a promotion; the next cart is refused with the reason to show', async () => {
    const reserve = (cartId: string) =>
      inject(app, 'POST', '/api/v1/promotions/uses', { promotionId: 'SPRING', cartId }, bearer(till));
    const first = await reserve('cart-1');
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('reserved');
    expect((await reserve('cart-1')).body.useId).toBe(first.body.useId);
    expect((await reserve('cart-2')).body).toMatchObject({
      status: 'refused',
      message: 'Spring milk: fully redeemed across the chain',
    });
    const release = await inject(
      app,
      'POST',
      `/api/v1/promotions/uses/${first.body.useId}/release`,
      {},
      bearer(till),
    );
    expect(release.body).toEqual({ released: true });
    expect(
      (
        await inject(
          app,
          'POST',
          '/api/v1/promotions/uses',
          { promotionId: 'NOPE', cartId: 'x' },
          bearer(till),
        )
      ).status,
    ).toBe(404);
  });

  it('the panel compares units of the promoted product with as many days just before, and lists overruns', async () => {
    const day = (d: string, store: string, qty: number) =>
      sql`INSERT INTO sales_daily (business_date, store_id, sku, qty, net_minor, tax_minor, gross_minor, lines)
          VALUES (${d}, ${store}, 'MILK', ${qty}, 0, 0, 0, 1)`.execute(h.db);
    await day('2026-02-25', 'S001', 100); // five days before: outside the 4-day comparison
    await day('2026-02-27', 'S001', 10);
    await day('2026-03-03', 'S001', 25);
    await day('2026-03-03', 'S002', 7);
    await addPromotionFacts(
      h.db,
      [
        {
          promotionId: 'SPRING',
          storeId: 'S001',
          businessDate: '2026-03-03',
          uses: 2,
          discountMinor: 40,
          units: 2,
        },
        {
          promotionId: 'SPRING',
          storeId: 'S002',
          businessDate: '2026-03-03',
          uses: 1,
          discountMinor: 20,
          units: 1,
        },
      ],
      [{ promotionId: 'SPRING', sku: 'MILK' }],
    );
    const offline = (n: number, storeId: string) => ({
      promotionId: 'SPRING',
      saleId: `00000000-0000-7000-8000-00000000000${n}`,
      terminalId: `${storeId}-09`,
      storeId,
      units: 1,
    });
    await recordPromotionUses(h.db, [offline(1, 'S001'), offline(2, 'S002')]);
    const r = await inject(app, 'GET', `${DASHBOARD_PATHS.promotions}?store=S001`, undefined, bearer(ADMIN));
    expect(r.status).toBe(200);
    expect(r.body.promotions).toEqual([
      expect.objectContaining({
        promotionId: 'SPRING',
        from: '2026-03-02',
        to: '2026-03-05',
        days: 4,
        uses: 2,
        discountMinor: 40,
        units: { during: 25, before: 10 },
        limitTotal: 1,
        usedTotal: 2,
        exceptions: 0,
      }),
    ]);
    expect(r.body.exceptions).toEqual([]);
    const all = await inject(app, 'GET', DASHBOARD_PATHS.promotions, undefined, bearer(ADMIN));
    expect(all.body.promotions[0]).toMatchObject({
      uses: 3,
      units: { during: 32, before: 10 },
      exceptions: 1,
    });
    expect(all.body.exceptions).toEqual([
      expect.objectContaining({ storeId: 'S002', limitName: 'fully_redeemed', overBy: 1 }),
    ]);
  });
});
