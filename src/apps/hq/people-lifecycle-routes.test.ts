import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { listAudit, setTillPin } from '../../access/index.ts';
import { createStore } from '../../catalog/hq/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'people-lifecycle-admin-token-0123456789';
const admin = bearer(ADMIN);
const cashierAt = (store: string) => [{ role: 'cashier', scope: { kind: 'store', id: store } }];

describe.each(hqBackends())('inviting, resetting, reactivating and removing people on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  const send = (method: 'POST' | 'DELETE', url: string, payload?: object, headers = admin) =>
    app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const signIn = (username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password } });
  const setPassword = (token: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/password-link', payload: { token, password } });
  const listed = async () =>
    ((await app.inject({ url: '/api/v1/users', headers: admin })).json() as { username: string }[]).map(
      (u) => u.username,
    );
  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S001'));
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('invites Ines, who sets her own password once with the link and signs in; the token is never audited', async () => {
    const res = await send('POST', '/api/v1/users/invite', {
      username: 'ines',
      displayName: 'Ines',
      grants: cashierAt('S001'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { link } = res.json() as { link: { token: string; expiresAt: string; purpose: string } };
    expect(link.purpose).toBe('invite');
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);

    const short = await setPassword(link.token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().field).toBe('password');
    expect((await setPassword(link.token, 'ines-chose-this')).json()).toEqual({ username: 'ines' });
    expect((await signIn('ines', 'ines-chose-this')).statusCode).toBe(200);

    const again = await setPassword(link.token, 'someone-else-now');
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ field: 'token' });
    expect(again.json().message).toContain('used already');
    expect((await setPassword('not-a-token-at-all', 'whatever-123')).statusCode).toBe(401);

    const log = JSON.stringify(await listAudit(h.db, {}));
    expect(log).toContain('access.user_invited');
    expect(log).toContain('access.password_set_by_link');
    expect(log).not.toContain(link.token);
  });

  it('a reset link stops the old password at once; a newer link voids the older one', async () => {
    await send('POST', '/api/v1/users/invite', {
      username: 'ben',
      displayName: 'Ben',
      grants: cashierAt('S001'),
    });
    const first = (await send('POST', '/api/v1/users/ben/password-link')).json() as { token: string };
    const second = (await send('POST', '/api/v1/users/ben/password-link')).json() as { token: string };
    expect((await setPassword(first.token, 'ben-password-1')).statusCode).toBe(401);
    expect((await setPassword(second.token, 'ben-password-1')).statusCode).toBe(200);
    expect((await signIn('ben', 'ben-password-1')).statusCode).toBe(200);
    const reset = (await send('POST', '/api/v1/users/ben/password-link')).json() as { purpose: string };
    expect(reset.purpose).toBe('reset');
    expect((await signIn('ben', 'ben-password-1')).statusCode).toBe(401);
  });

  it('deactivated users are refused at sign-in and at their link; reactivated ones sign in again', async () => {
    const { link } = (
      await send('POST', '/api/v1/users/invite', {
        username: 'dan',
        displayName: 'Dan',
        grants: cashierAt('S001'),
      })
    ).json() as { link: { token: string } };
    await setPassword(link.token, 'dan-password-1');
    expect((await send('POST', '/api/v1/users/dan/deactivate')).statusCode).toBe(204);
    expect((await signIn('dan', 'dan-password-1')).statusCode).toBe(401);
    expect((await send('POST', '/api/v1/users/dan/reactivate')).statusCode).toBe(204);
    expect((await signIn('dan', 'dan-password-1')).statusCode).toBe(200);
    expect((await listAudit(h.db, { action: 'access.user_reactivated' })).length).toBe(1);
  });

  it('removes a user who never acted outright, and keeps one with history deactivated, grantless and unlisted', async () => {
    await send('POST', '/api/v1/users/invite', {
      username: 'nia',
      displayName: 'Nia',
      grants: cashierAt('S001'),
    });
    await send('POST', '/api/v1/users/invite', {
      username: 'tom',
      displayName: 'Tom',
      grants: cashierAt('S001'),
    });
    await setTillPin(h.db, { username: 'tom', code: '1234', pin: '4829' });

    expect((await send('DELETE', '/api/v1/users/nia')).json()).toEqual({ removed: 'deleted' });
    expect((await send('DELETE', '/api/v1/users/tom')).json()).toEqual({ removed: 'kept for history' });
    expect(await listed()).toEqual([]);
    // Nia's name is free again; Tom's stays taken, so the history naming him names only him.
    expect(
      (
        await send('POST', '/api/v1/users/invite', {
          username: 'nia',
          displayName: 'Nia 2',
          grants: cashierAt('S001'),
        })
      ).statusCode,
    ).toBe(201);
    const taken = await send('POST', '/api/v1/users/invite', {
      username: 'tom',
      displayName: 'Tom 2',
      grants: cashierAt('S001'),
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().field).toBe('username');
    expect((await send('DELETE', '/api/v1/users/tom')).statusCode).toBe(404);
    const removed = await listAudit(h.db, { action: 'access.user_removed' });
    expect(removed.map((e) => e.after)).toEqual(
      expect.arrayContaining([{ removed: 'deleted' }, { removed: 'kept for history' }]),
    );
    expect(removed).toHaveLength(2);
  });
});
