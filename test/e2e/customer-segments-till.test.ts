import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { appendToHqLog, hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import { savePromotions } from '../../src/catalog/hq/prices.ts';
import { changeConsentAtHq } from '../../src/customers/hq/index.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { publishRunSegments } from '../../src/intel/customers/hq/index.ts';
import { inject } from '../helpers/calls.ts';
import { asCashier } from '../helpers/till-session.ts';

/**
 * Segments and consents reach the till: HQ's scoring run puts Ana in "at risk", the till's catalog pull
 * brings it, and a win-back promotion for that segment prices Ana's cart with its discount and Ben's
 * without, online and with HQ unreachable (from the till's copy). Ben then opts in at HQ, and the
 * till's next pull shows it.
 */
const logger = pino({ level: 'silent' });
const WINBACK = {
  id: 'P-WINBACK',
  name: 'Win-back 20 %',
  kind: 'percentOff' as const,
  target: {},
  percentBp: 2_000,
  audience: { segments: ['at risk'] },
};

let root: string;
let hq: RunningHq;
let till: RunningTerminal;
let code: string;
const line = { down: false };

const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  inject(till.app, method, url, payload, await asCashier(till));

type Cart = {
  cartId: string;
  totals: { grossMinor: number };
  lines: { discounts: { id: string; reason: string }[] }[];
};
type Customer = { customerId: string; segment?: string; consents: Record<string, boolean> };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tally-segments-till-'));
  hq = await startHq({ port: 0, logger });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 5 });
  await savePromotions(hq.db, [WINBACK]);
  const row = await hq.db
    .selectFrom('barcodes')
    .select('code')
    .orderBy('code')
    .limit(1)
    .executeTakeFirstOrThrow();
  code = row.code;
  till = await startTerminal({
    dataDir: join(root, 'till'),
    hqUrl: hq.url,
    ...(await enrollTerminal(hq.db, { storeId: 'S001' })),
    port: 0,
    logger,
    syncIntervalMs: 3_600_000,
    catalogIntervalMs: 3_600_000,
    fetch: (async (url: URL | string, init?: RequestInit) => {
      if (line.down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      return fetch(url, init);
    }) as typeof fetch,
  });
  expect((await call('POST', '/api/v1/shifts', { cashierId: 'ana', openingFloatMinor: 0 })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await till?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function register(email: string): Promise<string> {
  const r = await call('POST', '/api/v1/customers', { email });
  expect(r.status).toBe(201);
  return (r.body as Customer).customerId;
}

const findAtTill = async (email: string) =>
  (await call('GET', `/api/v1/customers?email=${encodeURIComponent(email)}`)).body as Customer;

/** A cart of one item for the customer, as the till prices it now. */
async function cartFor(customerId: string): Promise<Cart> {
  const cart = (await call('POST', '/api/v1/carts', {})).body as Cart;
  await call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code, qty: 2 });
  const r = await call('PUT', `/api/v1/carts/${cart.cartId}/customer`, { customerId });
  expect(r.status).toBe(200);
  return r.body as Cart;
}
const winback = (c: Cart) => c.lines.some((l) => l.discounts.some((d) => d.reason === WINBACK.name));

/** HQ's scoring run, stored as the nightly refresh stores it: Ana at risk, Ben a champion. */
async function scoreRun(segments: Record<string, string>): Promise<void> {
  const runId = randomUUID();
  await sql`INSERT INTO customer_score_runs (id, as_of, horizon_days, status, finished_at, customers, currency)
    VALUES (${runId}, '2026-03-01', 90, 'done', now(), ${Object.keys(segments).length}, 'EUR')`.execute(
    hq.db,
  );
  for (const [customerId, segment] of Object.entries(segments))
    await sql`INSERT INTO customer_scores (run_id, customer_id, p_active, expected_spend_minor, clv12_minor, segment, cluster)
      VALUES (${runId}, ${customerId}, 0.3, 1000, 4000, ${segment}, 0)`.execute(hq.db);
  await publishRunSegments(hq.db, runId);
}

describe('segments and consents from HQ at the till', () => {
  let ana: string;
  let ben: string;

  it("the till pulls Ana's segment; the win-back promotion discounts her cart and not Ben's", async () => {
    ana = await register('ana@example.org');
    ben = await register('ben@example.org');
    // Their registrations reach HQ, then HQ scores them.
    expect((await call('POST', '/api/v1/sync/flush')).status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await sql<{ n: number }>`SELECT count(*)::int AS n FROM customer_profiles
          WHERE customer_id = ANY(${[ana, ben]}::uuid[])`.execute(hq.db)
          ).rows[0]?.n,
      )
      .toBe(2);
    const before = await cartFor(ana);
    expect(winback(before)).toBe(false);

    await scoreRun({ [ana]: 'at risk', [ben]: 'champions' });
    expect(await till.pullCatalog()).toBe(true);
    expect((await findAtTill('ana@example.org')).segment).toBe('at risk');
    expect((await findAtTill('ben@example.org')).segment).toBe('champions');

    const anaCart = await cartFor(ana);
    const benCart = await cartFor(ben);
    expect(winback(anaCart)).toBe(true);
    expect(winback(benCart)).toBe(false);
    expect(anaCart.totals.grossMinor).toBeLessThan(benCart.totals.grossMinor);
  });

  it('with HQ unreachable the till still prices Ana with the discount, from its copy', async () => {
    line.down = true;
    try {
      expect(await till.pullCatalog()).toBe(false);
      expect(winback(await cartFor(ana))).toBe(true);
      expect(winback(await cartFor(ben))).toBe(false);
    } finally {
      line.down = false;
    }
  });

  it('Ben opts in to email at HQ, and the till shows it after its next pull', async () => {
    expect((await findAtTill('ben@example.org')).consents.marketing_email).toBe(false);
    await changeConsentAtHq(hq.db, appendToHqLog, {
      customerId: ben,
      purpose: 'marketing_email',
      granted: true,
      actor: 'hq-admin',
    });
    expect(await till.pullCatalog()).toBe(true);
    const b = await findAtTill('ben@example.org');
    expect(b.consents).toEqual({ marketing_email: true, marketing_sms: false, analytics: false });
    // Ana's consents were not touched.
    expect((await findAtTill('ana@example.org')).consents.marketing_email).toBe(false);
  });
});
