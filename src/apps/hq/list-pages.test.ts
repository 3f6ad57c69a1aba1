/**
 * Every HQ list says whether it is the whole list. Generated from /openapi.json: each GET answered with
 * an array (without path parameters) is called as the admin and must carry X-Truncated, with
 * X-Total-Count matching the body when nothing was cut; each one taking a `limit` also takes `offset`
 * and, cut to one row, says so and links the next page. The receipts list (`GET /sales`, the one the
 * demo's banner shows) says it in its body too, and defaults to today.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { saleEvent } from '../../../test/fixtures/ingest.ts';
import { bearer, demoChainHq, postBatch } from '../../../test/helpers/hq-app.ts';
import { hqBackends } from '../../../test/helpers/hq-db.ts';
import type { EnrollResponse } from '../../contracts/wire.ts';
import { businessDate } from '../../core/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ADMIN = 'admin-secret-for-list-pages';
const admin = bearer(ADMIN);

type Param = { in: string; name: string; required?: boolean };
type Op = {
  parameters?: Param[];
  responses?: Record<string, { content?: Record<string, { schema?: { type?: string } }> }>;
};

describe.each(hqBackends().slice(0, 1))('HQ lists say when they are cut, on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let till: EnrollResponse;
  let lists: { path: string; query: Param[] }[];
  let today: string;

  beforeAll(async () => {
    h = await open();
    ({ app, till } = await demoChainHq(h.db, ADMIN, { stores: 3, products: 4 }));
    const zone = await h.db
      .selectFrom('stores')
      .select('time_zone')
      .where('id', '=', 'S001')
      .executeTakeFirstOrThrow();
    today = businessDate(new Date(), zone.time_zone);
    const line = (sku: string, qty: number) => ({ sku, qty, unitPriceMinor: 250, taxRateBp: 700 });
    const now = Date.now();
    const events = [
      saleEvent(till, 1, [line('100001', 1)], {
        occurredAt: '2026-03-02T10:00:00.000Z',
        businessDate: '2026-03-02',
      }),
      ...[2, 3, 4].map((seq) =>
        saleEvent(till, seq, [line('100002', seq)], {
          businessDate: today,
          occurredAt: new Date(now - (10 - seq) * 60_000).toISOString(),
        }),
      ),
    ];
    const res = await postBatch(app, { terminalId: till.terminalId, events }, bearer(till.token));
    expect(res.json()).toMatchObject({ accepted: 4, rejected: [] });
    const spec = (await app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Op>>;
    };
    lists = Object.entries(spec.paths).flatMap(([path, ops]) => {
      const op = ops.get;
      const body = op?.responses?.['200']?.content?.['application/json']?.schema;
      if (!op || body?.type !== 'array' || path.includes('{')) return [];
      return [{ path, query: (op.parameters ?? []).filter((p) => p.in === 'query') }];
    });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('every list answers with X-Truncated, and a whole list with its count', async () => {
    expect(lists.map((l) => l.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/stock',
        '/api/v1/sales/daily',
        '/api/v1/sync/conflicts',
        '/api/v1/users',
      ]),
    );
    for (const { path } of lists) {
      const res = await app.inject({ url: path, headers: admin });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['x-truncated'], path).toBe('false');
      expect(Number(res.headers['x-total-count']), path).toBe((res.json() as unknown[]).length);
    }
  });

  it('every list that takes a limit takes an offset, and cut to one row links the next page', async () => {
    const limited = lists.filter((l) => l.query.some((p) => p.name === 'limit'));
    expect(limited.length).toBeGreaterThanOrEqual(8);
    let cut = 0;
    for (const { path, query } of limited) {
      expect(
        query.map((p) => p.name),
        path,
      ).toContain('offset');
      const whole = (await app.inject({ url: path, headers: admin })).json() as unknown[];
      if (whole.length < 2) continue;
      cut += 1;
      const first = await app.inject({ url: `${path}?limit=1`, headers: admin });
      expect(first.json(), path).toEqual([whole[0]]);
      expect(first.headers['x-truncated'], path).toBe('true');
      const next = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link))?.[1];
      expect(next, path).toBe(`${path}?limit=1&offset=1`);
      const second = await app.inject({ url: next as string, headers: admin });
      expect(second.json(), path).toEqual([whole[1]]);
    }
    // The seeded chain has stock, sales facts and availability rows to cut at least.
    expect(cut).toBeGreaterThanOrEqual(3);
  });

  it("lists today's receipts at a store, newest first, saying how many and where the rest are", async () => {
    const res = await app.inject({ url: '/api/v1/sales?store=S001', headers: admin });
    expect(res.statusCode).toBe(200);
    const page = res.json() as {
      sales: { receiptNo: string; businessDate: string; lines: { sku: string; qty: number }[] }[];
      total: number;
      truncated: boolean;
      next: string | null;
    };
    expect(page.total).toBe(3);
    expect(page.truncated).toBe(false);
    expect(page.next).toBeNull();
    expect(page.sales.map((s) => s.receiptNo)).toEqual([4, 3, 2].map((n) => `${till.terminalId}-${n}`));
    expect(page.sales.every((s) => s.businessDate === today)).toBe(true);
    expect(JSON.stringify(page)).not.toContain('token');

    const cut = (await app.inject({ url: '/api/v1/sales?store=S001&limit=2', headers: admin })).json();
    expect(cut).toMatchObject({
      total: 3,
      truncated: true,
      next: '/api/v1/sales?store=S001&limit=2&offset=2',
    });
    const rest = (await app.inject({ url: cut.next, headers: admin })).json();
    expect(rest).toMatchObject({ total: 3, truncated: false, next: null });
    expect(rest.sales.map((s: { receiptNo: string }) => s.receiptNo)).toEqual([`${till.terminalId}-2`]);

    const march = (
      await app.inject({ url: '/api/v1/sales?store=S001&date=2026-03-02', headers: admin })
    ).json();
    expect(march).toMatchObject({ total: 1, sales: [{ lines: [{ sku: '100001', qty: 1 }] }] });
    const elsewhere = (await app.inject({ url: '/api/v1/sales?store=S002', headers: admin })).json();
    expect(elsewhere).toMatchObject({ total: 0, sales: [] });
  });

  it('the audit page says whether there is more', async () => {
    // An export is audited: two of them make sure there is more than one entry.
    for (const _ of [1, 2]) await app.inject({ url: '/api/v1/audit.csv', headers: admin });
    const all = (await app.inject({ url: '/api/v1/audit?limit=500', headers: admin })).json();
    expect(all.entries.length).toBeGreaterThanOrEqual(2);
    expect(all).toMatchObject({ truncated: false, nextBefore: null });
    const one = (await app.inject({ url: '/api/v1/audit?limit=1', headers: admin })).json();
    expect(one).toMatchObject({ truncated: true, nextBefore: all.entries[0].seq });
    const exact = (
      await app.inject({ url: `/api/v1/audit?limit=${all.entries.length}`, headers: admin })
    ).json();
    expect(exact).toMatchObject({ truncated: false, nextBefore: null });
  });
});
