import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saleEvent } from '../../../test/fixtures/ingest.ts';
import { bearer, demoChainHq, postBatch } from '../../../test/helpers/hq-app.ts';
import { hqBackends } from '../../../test/helpers/hq-db.ts';
import type { EnrollResponse } from '../../contracts/wire.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ADMIN = 'admin-secret-for-tests';

describe.each(hqBackends())('sales naming a SKU HQ does not know, on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let till: EnrollResponse;
  const admin = bearer(ADMIN);

  beforeEach(async () => {
    h = await open();
    ({ app, till } = await demoChainHq(h.db, ADMIN, { stores: 1, products: 20 }));
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('are kept and counted, and listed for head office with the days they were seen', async () => {
    const line = (sku: string, qty: number) => ({ sku, qty, unitPriceMinor: 250, taxRateBp: 700 });
    const events = [
      saleEvent(till, 1, [line('100003', 1), line('GHOST-7', 2)]),
      saleEvent(till, 2, [line('GHOST-7', 1)], {
        businessDate: '2026-03-03',
        occurredAt: '2026-03-03T09:00:00Z',
      }),
    ];
    const res = await postBatch(app, { terminalId: till.terminalId, events }, bearer(till.token));
    expect(res.json()).toMatchObject({ accepted: 2, rejected: [] });

    const sold = (await app.inject({ url: '/api/v1/sales/daily?sku=GHOST-7', headers: admin })).json() as {
      qty: number;
    }[];
    expect(sold.reduce((s, r) => s + r.qty, 0)).toBe(3);
    const listed = await app.inject({ url: '/api/v1/sales/unknown-skus', headers: admin });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([
      { storeId: 'S001', sku: 'GHOST-7', firstSeen: '2026-03-02', lastSeen: '2026-03-03', lines: 2, qty: 3 },
    ]);
    expect(
      (
        await app.inject({
          url: '/api/v1/sales/unknown-skus?store=S002',
          headers: bearer(till.token),
        })
      ).statusCode,
    ).toBe(403);
  });
});
