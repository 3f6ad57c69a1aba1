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
    expect((await call('GET', '/api/v1/managers')).body).toEqual([]);
    await call('POST', '/api/v1/shifts', { cashierId: 'ana', openingFloatMinor: 1000 });

    // The demo PIN approves nothing, and the message says what to do.
    const noSale = await call(
      'POST',
      '/api/v1/shifts/current/no-sale',
      { reason: 'change' },
      { 'x-manager-pin': '1234' },
    );
    expect(noSale.status).toBe(403);
    expect(noSale.body.field).toBe('noSale');
    expect(noSale.body.message).toMatch(/no manager is set up.*X-Setup-Token.*setup-token/);

    const token = readFileSync(join(dir, 'setup-token'), 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(join(dir, 'setup-token')).mode & 0o077).toBe(0);
    const first = { managerId: 'M7', name: 'Olga', pin: '731902' };
    const wrong = await call('POST', '/api/v1/managers', first, { 'x-setup-token': 'nope' });
    expect(wrong).toMatchObject({ status: 403, body: { field: 'X-Setup-Token' } });
    expect((await call('POST', '/api/v1/managers', first)).status).toBe(403);
    expect((await call('GET', '/api/v1/managers')).body).toEqual([]);

    const added = await call('POST', '/api/v1/managers', first, { 'x-setup-token': token });
    expect(added).toMatchObject({ status: 201, body: { managerId: 'M7' } });
    // The token does not add a second one: from now on a manager's PIN does.
    const again = await call(
      'POST',
      '/api/v1/managers',
      { ...first, managerId: 'M8', pin: '555111' },
      {
        'x-setup-token': token,
      },
    );
    expect(again).toMatchObject({ status: 403, body: { error: 'approval_required' } });

    const ok = await call(
      'POST',
      '/api/v1/shifts/current/no-sale',
      { reason: 'change' },
      { 'x-manager-id': 'M7', 'x-manager-pin': '731902' },
    );
    expect(ok.status).toBe(201);
    expect(JSON.stringify(ok.body)).toContain('M7');
  });
});
