import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from '../../../test/helpers/calls.ts';
import { catalogThenDownHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import type { RunningTerminal } from './start.ts';

/** A real (non-demo) till starts with no manager: approvals are refused until the first one is added. */
const fetchFn = catalogThenDownHq();

let t: (RunningTerminal & { dataDir: string }) | undefined;
let dir: string;
afterEach(async () => {
  await t?.close();
});

const start = async () => {
  t = await startTestTill(fetchFn);
  dir = t.dataDir;
  return t;
};

const call = (method: 'GET' | 'POST', url: string, payload?: object, headers?: Record<string, string>) =>
  inject(t!.app, method, url, payload, headers);

describe('managers on a real (non-demo) till', () => {
  it('has no demo PIN, says how to add the first manager, and takes it only with the setup token', async () => {
    await start();
    // Nobody can sign in yet, and every register route says to sign in.
    const anon = await call('GET', '/api/v1/managers');
    expect(anon).toMatchObject({ status: 401, body: { field: 'session' } });
    expect(anon.body.message).toMatch(/sign in/);
    const demo = await call('POST', '/api/v1/session', { code: 'M1', pin: '1234' });
    expect(demo.status).toBe(401);

    const token = readFileSync(join(dir, 'setup-token'), 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(join(dir, 'setup-token')).mode & 0o077).toBe(0);
    const first = { managerId: 'M7', name: 'Olga', pin: '731902' };
    const wrong = await call('POST', '/api/v1/managers', first, { 'x-setup-token': 'nope' });
    expect(wrong).toMatchObject({ status: 403, body: { field: 'X-Setup-Token' } });
    expect((await call('POST', '/api/v1/managers', first)).status).toBe(401);

    const added = await call('POST', '/api/v1/managers', first, { 'x-setup-token': token });
    expect(added).toMatchObject({ status: 201, body: { managerId: 'M7' } });
    // The token does not add a second one: from now on a manager's PIN does.
    const again = await call(
      'POST',
      '/api/v1/managers',
      { ...first, managerId: 'M8', pin: '555111' },
      { 'x-setup-token': token },
    );
    expect(again).toMatchObject({ status: 403, body: { error: 'approval_required' } });

    // The first manager signs in and, holding every till permission, needs nobody's approval.
    const signedIn = await call('POST', '/api/v1/session', { code: 'M7', pin: '731902' });
    expect(signedIn).toMatchObject({ status: 200, body: { user: { userId: 'local:M7', name: 'Olga' } } });
    const as = { authorization: `Bearer ${signedIn.body.sessionToken}` };
    expect((await call('GET', '/api/v1/managers', undefined, as)).body).toEqual([
      { managerId: 'M7', name: 'Olga' },
    ]);
    await call('POST', '/api/v1/shifts', { openingFloatMinor: 1000 }, as);
    const ok = await call('POST', '/api/v1/shifts/current/no-sale', { reason: 'change' }, as);
    expect(ok.status).toBe(201);
    expect(t!.ledger.byId(t!.ledger.range(1, 100).at(-1)!.id)).toMatchObject({ actor: 'local:M7' });
  });
});
