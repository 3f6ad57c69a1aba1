import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bearer } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { listAudit } from '../../access/index.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { newId } from '../../core/index.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-token-for-customer-admin-reads';

/**
 * What the dashboard's Customers view reads beside the profile: a search by part of a name, one
 * person's score from the newest run, and who the two profiles of a duplicate pair are.
 */
describe.each(hqBackends())("the dashboard's customer reads at HQ on $name", (backend) => {
  it(
    'finds people by part of their name, shows a score and who a duplicate pair is',
    { timeout: 120_000 },
    () =>
      withHqDb(backend, async ({ db }) => {
        await createStore(db, berlinStore('S001'));
        const app: App = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
        try {
          const admin = bearer(ADMIN);
          const register = async (body: object) => {
            const res = await app.inject({
              method: 'POST',
              url: '/api/v1/customers',
              headers: admin,
              payload: { storeId: 'S001', ...body },
            });
            expect(res.statusCode, res.body).toBe(201);
            return (res.json() as { customerId: string }).customerId;
          };
          const ana = await register({
            name: 'Ana Lima',
            email: 'ana.lima@gmail.com',
            phone: '0151 23456789',
          });
          const ana2 = await register({
            name: 'Ana Lima',
            email: 'ana.lima@gmial.com',
            phone: '0151 23456788',
          });
          const ben = await register({ name: 'Ben 100% Okafor', email: 'ben@example.org' });
          const get = async (url: string, headers = admin) => app.inject({ method: 'GET', url, headers });
          const names = async (q: string) =>
            (
              (await get(`/api/v1/customers/search?name=${encodeURIComponent(q)}`)).json() as {
                customerId: string;
                personal: { name: string };
              }[]
            ).map((c) => c.personal.name);

          expect(await names('LIMA')).toEqual(['Ana Lima', 'Ana Lima']);
          expect(await names('  ben ')).toEqual(['Ben 100% Okafor']);
          // The search text is text, not a pattern: "%" matches only a percent sign.
          expect(await names('a%')).toEqual([]);
          expect(await names('0% O')).toEqual(['Ben 100% Okafor']);
          expect((await get('/api/v1/customers/search?name=a')).statusCode).toBe(400);
          // A phone still wins over a name given with it.
          const byPhone = await get('/api/v1/customers/search?phone=0151%2023456789&name=ben');
          expect((byPhone.json() as { customerId: string }[]).map((c) => c.customerId)).toEqual([ana]);

          const pairs = (await get('/api/v1/customers/duplicates')).json() as {
            customerIds: string[];
            people: { customerId: string; name: string; email: string }[];
          }[];
          expect(pairs[0]?.customerIds).toEqual([ana, ana2].sort());
          expect(pairs[0]?.people.map((p) => p.email).sort()).toEqual([
            'ana.lima@gmail.com',
            'ana.lima@gmial.com',
          ]);

          expect((await get(`/api/v1/customers/${ben}/score`)).json()).toEqual({ score: null });
          const run = newId();
          await sql`INSERT INTO customer_score_runs (id, as_of, horizon_days, status, finished_at, customers, currency)
          VALUES (${run}, '2026-11-30', 90, 'done', now(), 1, 'EUR')`.execute(db);
          await sql`INSERT INTO customer_scores
          (run_id, customer_id, p_active, expected_spend_minor, clv12_minor, segment, cluster, last_store_id)
          VALUES (${run}, ${ana}, 0.625, 4200, 15000, 'loyal customers', 1, 'S001')`.execute(db);
          expect((await get(`/api/v1/customers/${ana}/score`)).json()).toEqual({
            score: {
              customerId: ana,
              asOf: '2026-11-30',
              horizonDays: 90,
              currency: 'EUR',
              segment: 'loyal customers',
              pActive: 0.625,
              expectedSpendMinor: 4200,
              clv12Minor: 15000,
            },
          });
          const merged = await app.inject({
            method: 'POST',
            url: '/api/v1/customers/merge',
            headers: admin,
            payload: { survivorId: ana, mergedId: ana2, reason: 'same person' },
          });
          expect(merged.statusCode, merged.body).toBe(200);
          expect((await get(`/api/v1/customers/${ana2}/score`)).json()).toMatchObject({
            score: { customerId: ana, segment: 'loyal customers' },
          });
          // The merged profile is inside its survivor: a name search shows the person once.
          expect(await names('lima')).toEqual(['Ana Lima']);

          // Who is refused these routes is route-admission.test.ts's business (it calls every route).
          const searches = (await listAudit(db, { limit: 200 })).filter(
            (e) => e.action === 'customer.searched',
          );
          expect(searches.some((e) => e.targetId === 'name')).toBe(true);
          // The typed text is not kept in the log: only whom it found.
          expect(JSON.stringify(searches)).not.toContain('lima');
        } finally {
          await app.close();
        }
      }),
  );
});
