import { afterAll, beforeAll, describe, it } from 'vitest';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { expectRefusal } from '../../../test/helpers/refusals.ts';
import { fuzzProducts } from '../../../test/helpers/till-routes.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * The till refuses in the same body as HQ (contracts/api.ts), through the same handler, so the register
 * screen shows the message and marks the field whatever went wrong. (429 is covered for both apps by
 * apps/shared/error-handler.test.ts.)
 */
let till: RunningTerminal;
beforeAll(async () => {
  till = await startTestTill(catalogOnlyHq(fuzzProducts), { seedManager: DEMO_MANAGER });
});
afterAll(async () => {
  await till?.close();
});

const ask = async (
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  till.app.inject({
    method,
    url,
    headers: { ...(await asCashier(till)), ...headers },
    ...(payload ? { payload } : {}),
  });

const refusal = expectRefusal;

describe('till error answers', () => {
  it('400: a shift without its opening float', async () => {
    await refusal(await ask('POST', '/api/v1/shifts', { cashierId: 'alice' }), 400, {
      error: 'validation',
      field: 'body.openingFloatMinor',
    });
  });

  it('401: no session, or one that is not ours, says to sign in', async () => {
    const bare = await till.app.inject({ method: 'POST', url: '/api/v1/carts', payload: {} });
    await refusal(bare, 401, { error: 'unauthorized', field: 'session' });
    await refusal(
      await ask('GET', '/api/v1/carts?status=parked', undefined, { authorization: 'Bearer nope' }),
      401,
      {
        error: 'unauthorized',
        field: 'session',
      },
    );
  });

  it('403: a page from another site', async () => {
    await refusal(await ask('POST', '/api/v1/carts', {}, { origin: 'http://evil.example' }), 403, {
      error: 'forbidden_origin',
      field: 'Origin',
    });
  });

  it('404: an unknown cart, and a path no route serves', async () => {
    await refusal(await ask('GET', '/api/v1/carts/no-such-cart'), 404, { error: 'not_found' });
    await refusal(await ask('POST', '/api/v1/no-such-thing', {}), 404, { error: 'not_found' });
    await refusal(await ask('GET', '/api/v1/no-such-thing'), 404, { error: 'not_found' });
  });

  it('409: closing a shift when none is open', async () => {
    await refusal(await ask('POST', '/api/v1/shifts/current/close', {}), 409, { error: 'conflict' });
  });
});
