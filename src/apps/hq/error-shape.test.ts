import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { expectRefusal } from '../../../test/helpers/refusals.ts';
import { storesWithTill, TWO_STORES } from '../../../test/helpers/stores.ts';
import { DASHBOARD_PATHS } from '../../contracts/dashboard.ts';
import type { EnrollResponse } from '../../contracts/wire.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

/**
 * Whatever HQ refuses, the answer is the one error body of contracts/api.ts, so the dashboard and the
 * tills read every failure the same way: a code, a message and, where one is at fault, the field.
 */
const ADMIN = 'error-shape-admin-token';

describe.each(hqBackends())('HQ error answers on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let till: EnrollResponse;
  const admin = bearer(ADMIN);

  beforeAll(async () => {
    h = await open();
    till = await storesWithTill(h.db, TWO_STORES);
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const refusal = expectRefusal;

  it('400: a bad query names the field', async () => {
    await refusal(await app.inject({ url: '/api/v1/stock?limit=-1', headers: admin }), 400, {
      error: 'validation',
      field: 'querystring.limit',
    });
    await refusal(
      await app.inject({
        method: 'POST',
        url: '/api/v1/terminals',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: '{"storeId":',
      }),
      400,
      { error: 'bad_request', field: 'body' },
    );
  });

  it('401: no credential, or the wrong kind of token', async () => {
    await refusal(await app.inject({ url: '/api/v1/stores' }), 401, { error: 'unauthorized' });
    await refusal(
      await app.inject({ url: DASHBOARD_PATHS.me, headers: { authorization: `Bearer ${till.token}` } }),
      401,
      { error: 'unauthorized' },
    );
    await refusal(await app.inject({ url: DASHBOARD_PATHS.me }), 401, { error: 'unauthorized' });
  });

  it('403: a till asking for another store', async () => {
    await refusal(
      await app.inject({
        url: '/api/v1/inventory/availability?store=S002',
        headers: { authorization: `Bearer ${till.token}` },
      }),
      403,
      { error: 'forbidden', field: 'store' },
    );
  });

  it('404: an unknown terminal, and a path no route serves', async () => {
    await refusal(await app.inject({ url: '/api/v1/terminals/nobody/sync', headers: admin }), 404, {
      error: 'not_found',
      field: 'id',
    });
    await refusal(await app.inject({ method: 'POST', url: '/api/v1/no-such-thing', headers: admin }), 404, {
      error: 'not_found',
    });
  });

  it('409: a reservation for more than is there', async () => {
    await refusal(
      await app.inject({
        method: 'POST',
        url: '/api/v1/inventory/reservations',
        headers: admin,
        payload: { storeId: 'S001', lines: [{ sku: 'NONE', qty: 1 }] },
      }),
      409,
      { error: 'conflict', field: 'lines.0.qty' },
    );
  });

  it('429: sign-in tried too often', async () => {
    const tries = [];
    for (let i = 0; i < 6; i++)
      tries.push(
        await app.inject({
          method: 'POST',
          url: DASHBOARD_PATHS.signIn,
          payload: { username: 'nobody', password: `guess-${i}` },
        }),
      );
    await refusal(tries[0]!, 401, { error: 'invalid_credentials' });
    await refusal(tries[5]!, 429, { error: 'rate_limited' });
    expect(Number(tries[5]!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
