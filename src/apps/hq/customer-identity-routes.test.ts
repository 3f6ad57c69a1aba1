import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearer, enrollOverHttp, postBatch, signInCookie } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { listAudit } from '../../access/index.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { systemClock } from '../../core/index.ts';
import { storeCustomerKey } from '../../customers/hq/index.ts';
import { createCustomers } from '../../customers/index.ts';
import { unsentCustomerKeys } from '../../customers/till/key-sync.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-token-for-identity-routes';
const tempDir = tempDirs('identity-routes');

describe.each(hqBackends())('duplicate review and merges at HQ on $name', (backend) => {
  it('finds a pair registered at two tills, merges and unmerges it, keeps a dismissed pair out, refuses without permission, and audits', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      const app: App = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
      try {
        const register = async (
          storeId: string,
          input: Parameters<ReturnType<typeof createCustomers>['create']>[0],
        ) => {
          const t = await enrollOverHttp(app, ADMIN, { storeId });
          const { ledger } = openTestLedger(join(tempDir(), `${t.terminalId}.db`), {
            storeId,
            terminalId: t.terminalId,
            clock: systemClock,
          });
          const c = createCustomers(ledger).create(input);
          const res = await postBatch(
            app,
            { terminalId: t.terminalId, events: ledger.range(1, 100) },
            bearer(t.token),
          );
          expect(res.statusCode, res.body).toBe(200);
          for (const k of unsentCustomerKeys(ledger.db))
            await storeCustomerKey(db, k.customerId, k.key, t.terminalId);
          return c.customerId;
        };
        // Ana at two stores: her mobile one digit off, her email typed at gmial.com the second time.
        const ana1 = await register('S001', {
          name: 'Ana Lima',
          phone: '0151 23456789',
          email: 'ana.lima@gmail.com',
        });
        const ana2 = await register('S002', {
          name: 'Ana Lima',
          phone: '0151 23456788',
          email: 'ana.lima@gmial.com',
        });
        const ben = await register('S002', { name: 'Ben Okafor', email: 'ben@example.org' });
        const admin = bearer(ADMIN);
        const get = (headers: Record<string, string>) =>
          app.inject({ method: 'GET', url: '/api/v1/customers/duplicates', headers });
        const pairs = async () =>
          ((await get(admin)).json() as { customerIds: string[] }[]).map((p) => p.customerIds);

        const queue = await get(admin);
        expect(queue.statusCode, queue.body).toBe(200);
        const [top] = queue.json() as { customerIds: string[]; score: number; reasons: string[] }[];
        expect(top?.customerIds).toEqual([ana1, ana2].sort());
        expect(top?.score).toBeGreaterThanOrEqual(0.7);
        expect(top?.reasons.join(' ')).toMatch(/gmail|email/i);
        expect(queue.headers['x-total-count']).toBe(String(queue.json().length));
        expect((await pairs()).flat()).not.toContain(ben);

        const add = await app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin,
          payload: {
            username: 'sam',
            displayName: 'Sam',
            password: 'a-long-password-for-sam',
            grants: [{ role: 'store_manager', scope: { kind: 'store', id: 'S001' } }],
          },
        });
        expect(add.statusCode, add.body).toBe(201);
        const sam = { cookie: await signInCookie(app, 'sam', 'a-long-password-for-sam') };
        expect((await get(sam)).statusCode).toBe(403);
        const decision = { survivorId: ana1, mergedId: ana2, reason: 'same mobile, email typo' };
        const post = (path: string, headers: Record<string, string>, payload: object) =>
          app.inject({ method: 'POST', url: `/api/v1/customers/${path}`, headers, payload });
        expect((await post('merge', sam, decision)).statusCode).toBe(403);

        const merged = await post('merge', admin, decision);
        expect(merged.statusCode, merged.body).toBe(200);
        expect(merged.json()).toMatchObject({ customerId: ana1, mergedIds: [ana2] });
        const byMergedId = await app.inject({
          method: 'GET',
          url: `/api/v1/customers/${ana2}`,
          headers: admin,
        });
        expect(byMergedId.json().customerId).toBe(ana1);
        expect(await pairs()).toEqual([]);
        const again = await post('merge', admin, decision);
        expect(again.statusCode).toBe(400);
        expect(again.json()).toMatchObject({ field: 'mergedId' });
        const cycle = await post('merge', admin, { ...decision, survivorId: ana2, mergedId: ana1 });
        expect(cycle.json()).toMatchObject({ field: 'survivorId' });

        expect((await post('unmerge', admin, { ...decision, reason: 'not her' })).statusCode).toBe(200);
        expect(await pairs()).toEqual([[ana1, ana2].sort()]);
        const dismissed = await post('duplicates/dismiss', admin, {
          customerIds: [ana2, ana1],
          reason: 'twins',
        });
        expect(dismissed.json()).toEqual({ dismissed: true });
        expect(await pairs()).toEqual([]);

        const actions = (await listAudit(db, { limit: 200 })).map((e) => e.action);
        for (const a of [
          'customer.duplicates_reviewed',
          'customer.merged',
          'customer.unmerged',
          'customer.duplicate_dismissed',
        ])
          expect(actions).toContain(a);
      } finally {
        await app.close();
      }
    }));
});
