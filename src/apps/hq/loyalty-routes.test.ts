import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal, listAudit } from '../../access/index.ts';
import { DEFAULT_LOYALTY_PROGRAMME } from '../../contracts/index.ts';
import { newId } from '../../core/ids.ts';
import { seedDemoChain } from '../../demo/index.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { type RunningHq, startHq } from './server.ts';

/**
 * Head office sets the loyalty programme and adjusts a customer's points (both audited), a till pulls
 * the programme with its catalog (whole, then again only when it changed), reads balances and spends
 * points through HQ.
 */
const logger = pino({ level: 'silent' });
const ADMIN = 'admin-token-for-the-loyalty-routes-test';
let hq: RunningHq;
let till: string;

beforeAll(async () => {
  hq = await startHq({ port: 0, logger, adminToken: ADMIN });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 2 });
  till = (await enrollTerminal(hq.db, { storeId: 'S001' })).token;
}, 120_000);

afterAll(async () => {
  await hq?.close();
});

async function call(token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await hq.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

describe('loyalty at HQ over HTTP', () => {
  it('the programme reaches the till with the catalog: in full, then in a delta only after it changed', async () => {
    const first = await call(till, 'GET', '/api/v1/terminal/catalog');
    expect(first.body.loyalty).toMatchObject({ enabled: false });
    const cursor = String(first.body.cursor);
    expect(
      (await call(till, 'GET', `/api/v1/terminal/catalog?since=${cursor}`)).body.loyalty,
    ).toBeUndefined();

    const set = await call(ADMIN, 'PUT', '/api/v1/loyalty/programme', {
      ...DEFAULT_LOYALTY_PROGRAMME,
      enabled: true,
      categories: { tobacco: 0 },
    });
    expect(set.status).toBe(200);
    expect((await call(till, 'GET', `/api/v1/terminal/catalog?since=${cursor}`)).body.loyalty).toMatchObject({
      enabled: true,
      categories: { tobacco: 0 },
    });
    expect((await listAudit(hq.db, {})).some((e) => e.action === 'loyalty.programme_set')).toBe(true);

    const bad = await call(ADMIN, 'PUT', '/api/v1/loyalty/programme', {
      ...DEFAULT_LOYALTY_PROGRAMME,
      tiers: [{ name: 'gold', minSpendMinor: 10, multiplierBp: 10_000 }],
    });
    expect(bad.status).toBe(400);
  });

  it('an adjustment is audited with its reason; the till then spends the points through HQ', async () => {
    const customerId = newId();
    const adj = await call(ADMIN, 'POST', `/api/v1/loyalty/customers/${customerId}/adjustments`, {
      points: 400,
      reason: 'welcome bonus',
    });
    expect(adj).toEqual({ status: 200, body: { applied: true, balancePoints: 400 } });
    const audited = (await listAudit(hq.db, {})).find((e) => e.action === 'loyalty.points_adjusted');
    expect(audited).toMatchObject({ reason: 'welcome bonus' });

    expect((await call(till, 'POST', '/api/v1/loyalty/balance', { customerId })).body).toMatchObject({
      balancePoints: 400,
      tier: 'bronze',
    });
    const authId = newId();
    expect(
      (await call(till, 'POST', '/api/v1/loyalty/burns', { authId, customerId, points: 300 })).body,
    ).toEqual({ authId, balancePoints: 100, applied: [] });
    expect(
      (await call(till, 'POST', '/api/v1/loyalty/burns', { authId: newId(), customerId, points: 300 }))
        .status,
    ).toBe(402);
    expect((await call(till, 'POST', `/api/v1/loyalty/burns/${authId}/release`)).body).toEqual({
      released: true,
      balancePoints: 400,
    });
    const history = await call(ADMIN, 'GET', `/api/v1/loyalty/customers/${customerId}/movements`);
    expect((history.body as unknown as { kind: string }[]).map((m) => m.kind)).toEqual([
      'release',
      'burn',
      'adjust',
    ]);
  });
});
