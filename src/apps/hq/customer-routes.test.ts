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
import { createCustomers } from '../../customers/index.ts';
import { forgetCustomers, hqCustomerLookup, sendCustomerKeys } from '../../customers/till/index.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-token-for-customer-routes';
const tempDir = tempDirs('customer-routes');

/** fetch as a till's line sees it, answered by the in-process HQ app. */
const viaApp = (app: App): typeof fetch =>
  (async (url: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(url));
    const res = await app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: `${u.pathname}${u.search}`,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(init?.body ? { payload: String(init.body) } : {}),
    });
    return new Response(res.body, {
      status: res.statusCode,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;

async function tillAt(app: App, storeId: string) {
  const t = await enrollOverHttp(app, ADMIN, { storeId });
  const { ledger } = openTestLedger(join(tempDir(), `${t.terminalId}.db`), {
    storeId,
    terminalId: t.terminalId,
    clock: systemClock,
  });
  let sent = 0;
  const customers = createCustomers(ledger);
  return {
    ledger,
    customers,
    token: t.token,
    /** The outbox's batch, then the key loop's round: in this order or the other, HQ ends up the same. */
    async sync(keysFirst = false) {
      const keys = () =>
        sendCustomerKeys({ db: ledger.db, hqUrl: 'http://hq.test', fetch: viaApp(app), token: t.token });
      if (keysFirst) await keys();
      const res = await postBatch(
        app,
        { terminalId: t.terminalId, events: ledger.range(sent + 1, 1000) },
        bearer(t.token),
      );
      expect(res.statusCode, res.body).toBe(200);
      sent = ledger.lastSeq();
      if (!keysFirst) await keys();
    },
  };
}

describe.each(hqBackends())('customer routes at HQ on $name', (backend) => {
  it('exports a campaign list with nobody who opted out, at a till or at HQ in either order, and nobody erased', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
      try {
        const a = await tillAt(app, 'S001');
        const b = await tillAt(app, 'S002');
        const yes = { consents: { marketing_email: true } };
        const ana = a.customers.create({ email: 'ana@example.org', name: 'Ana', ...yes });
        const ben = a.customers.create({ email: 'ben@example.org', name: 'Ben', ...yes });
        const cem = b.customers.create({ email: 'cem@example.org', name: 'Cem', ...yes });
        const dora = b.customers.create({ email: 'dora@example.org', name: 'Dora', ...yes });
        const eve = b.customers.create({ email: 'eve@example.org', name: 'Eve', ...yes });
        b.customers.create({ email: 'finn@example.org', name: 'Finn' });
        a.customers.create({ email: 'gus@example.org', name: 'Gus', ...yes });
        // Ben opts out at his till before anything reached HQ; Cem's key reaches HQ before his event.
        a.customers.setConsent(ben.customerId, 'marketing_email', false);
        await a.sync();
        await b.sync(true);
        const admin = bearer(ADMIN);
        const consent = (id: string, granted: boolean) =>
          app.inject({
            method: 'POST',
            url: `/api/v1/customers/${id}/consents`,
            headers: admin,
            payload: { purpose: 'marketing_email', granted },
          });
        // Cem opts out at HQ. Dora opts out at HQ, then back in at her till: the later change wins.
        // Ana is confirmed at HQ, then opts out at her till. Eve is erased.
        expect((await consent(cem.customerId, false)).statusCode).toBe(200);
        expect((await consent(dora.customerId, false)).statusCode).toBe(200);
        expect((await consent(ana.customerId, true)).statusCode).toBe(200);
        b.customers.setConsent(dora.customerId, 'marketing_email', true);
        a.customers.setConsent(ana.customerId, 'marketing_email', false);
        // Ana is not b's customer: a till changes only the customers it holds.
        expect(() => b.customers.setConsent(ana.customerId, 'marketing_email', false)).toThrow();
        await b.sync();
        await a.sync();
        const erase = await app.inject({
          method: 'POST',
          url: `/api/v1/customers/${eve.customerId}/erase`,
          headers: admin,
        });
        expect(erase.statusCode, erase.body).toBe(200);
        expect(erase.json().places.length).toBeGreaterThanOrEqual(8);

        const list = await app.inject({
          method: 'GET',
          url: '/api/v1/customers/campaign-list?purpose=marketing_email',
          headers: admin,
        });
        expect(list.statusCode, list.body).toBe(200);
        expect((list.json() as { email: string }[]).map((c) => c.email).sort()).toEqual([
          'dora@example.org',
          'gus@example.org',
        ]);
        const csv = await app.inject({
          method: 'GET',
          url: '/api/v1/customers/campaign-list?purpose=marketing_email&format=csv',
          headers: admin,
        });
        expect(csv.headers['content-type']).toContain('text/csv');
        expect(csv.body).not.toContain('eve@');
        expect(csv.body).not.toContain('cem@');

        // The till learns of the erasure with its catalog pull, and drops Eve.
        const snap = await app.inject({
          method: 'GET',
          url: '/api/v1/terminal/catalog',
          headers: bearer(b.token),
        });
        expect(snap.json().erasedCustomers).toEqual([eve.customerId]);
        expect(forgetCustomers(b.ledger.db, snap.json().erasedCustomers)).toBe(1);
        expect(b.customers.byId(eve.customerId)).toBeUndefined();
      } finally {
        await app.close();
      }
    }));

  it('lets a till find a customer registered at another store, and keeps them for when it is offline', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
      try {
        const a = await tillAt(app, 'S001');
        const b = await tillAt(app, 'S002');
        const ana = a.customers.create({ phone: '+41 79 123 45 67', name: 'Ana', cardNumber: 'LC5566' });
        await a.sync();
        let online = true;
        const line = viaApp(app);
        const atB = createCustomers(
          b.ledger,
          () => new Date(),
          hqCustomerLookup({
            hqUrl: 'http://hq.test',
            fetch: (async (...args: Parameters<typeof fetch>) => {
              if (!online) throw new TypeError('fetch failed');
              return line(...args);
            }) as typeof fetch,
            token: () => b.token,
            timeoutMs: 5_000,
          }),
        );
        expect(atB.find({ cardNumber: 'LC5566' })).toBeUndefined();
        const found = await atB.findAnywhere({ cardNumber: 'lc 5566' });
        expect(found).toMatchObject({ customerId: ana.customerId, name: 'Ana', phone: '+41791234567' });
        online = false;
        expect((await atB.findAnywhere({ phone: '+41791234567' }))?.customerId).toBe(ana.customerId);
        expect(await atB.findAnywhere({ phone: '+41 79 000 00 00' })).toBeUndefined();
        // A consent changed at B reaches HQ; B had the key from HQ, so it sends none back.
        atB.setConsent(ana.customerId, 'analytics', true);
        await b.sync();
        const p = await app.inject({
          method: 'GET',
          url: `/api/v1/customers/${ana.customerId}`,
          headers: bearer(ADMIN),
        });
        expect(p.json().consents.analytics).toBe(true);
        const audited = await listAudit(db, { limit: 100 });
        expect(
          audited.some((e) => e.action === 'customer.looked_up_by_till' && e.actorKind === 'device'),
        ).toBe(true);
      } finally {
        await app.close();
      }
    }));

  it('reads personal data only with view_customer_data over the chain, and audits each read', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
      try {
        const a = await tillAt(app, 'S001');
        const ana = a.customers.create({ phone: '+41 79 123 45 67', email: 'ana@example.org', name: 'Ana' });
        await a.sync();
        const admin = bearer(ADMIN);
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
        const profile = `/api/v1/customers/${ana.customerId}`;
        expect((await app.inject({ method: 'GET', url: profile, headers: sam })).statusCode).toBe(403);
        expect((await app.inject({ method: 'POST', url: `${profile}/erase`, headers: sam })).statusCode).toBe(
          403,
        );

        const before = (await listAudit(db, { limit: 100 })).length;
        const got = await app.inject({ method: 'GET', url: profile, headers: admin });
        expect(got.json().personal).toMatchObject({
          phone: '+41791234567',
          email: 'ana@example.org',
          name: 'Ana',
        });
        const found = await app.inject({
          method: 'GET',
          url: '/api/v1/customers/search?phone=%2B41791234567',
          headers: admin,
        });
        expect(found.json().map((c: { customerId: string }) => c.customerId)).toEqual([ana.customerId]);
        const sar = await app.inject({ method: 'GET', url: `${profile}/export`, headers: admin });
        expect(sar.json().profile.personal.email).toBe('ana@example.org');
        const entries = (await listAudit(db, { limit: 100 })).slice(0, -before || undefined);
        expect(entries.map((e) => e.action).sort()).toEqual([
          'customer.personal_data_read',
          'customer.searched',
          'customer.subject_access_exported',
        ]);
        expect(JSON.stringify(entries)).not.toContain('ana@example.org');
      } finally {
        await app.close();
      }
    }));
});
