import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { signInCookie } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { addUser, listAudit } from '../../access/index.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { CUSTOMER_INTEL_PATHS as P } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import { buildHqApp } from './server.ts';

const PASSWORD = 'a-long-password-for-routes';

// Password hashing for three sign-ins and a PGlite: slow on the shared 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

/** Two scored runs: Ana (S001) went from champions to at risk; Ben (S002) stayed at risk. */
async function seedRuns(db: HqDb): Promise<{ ana: string; ben: string }> {
  const ana = randomUUID();
  const ben = randomUUID();
  const before = randomUUID();
  const now = randomUUID();
  for (const [id, asOf, started] of [
    [before, '2026-03-30', '2026-03-30T03:00:00Z'],
    [now, '2026-03-31', '2026-03-31T03:00:00Z'],
  ] as const)
    await sql`INSERT INTO customer_score_runs (id, as_of, horizon_days, status, started_at, finished_at, customers, currency)
      VALUES (${id}, ${asOf}, 90, 'done', ${started}, ${started}, 2, 'EUR')`.execute(db);
  const score = (run: string, c: string, segment: string, store: string, clv: number) =>
    sql`INSERT INTO customer_scores (run_id, customer_id, p_active, expected_spend_minor, clv12_minor, segment, cluster,
        last_store_id, last_purchase_at) VALUES (${run}, ${c}, 0.3, 1000, ${clv}, ${segment}, 1, ${store}, '2026-01-10')`.execute(
      db,
    );
  await score(before, ana, 'champions', 'S001', 9000);
  await score(before, ben, 'at risk', 'S002', 5000);
  await score(now, ana, 'at risk', 'S001', 8000);
  await score(now, ben, 'at risk', 'S002', 4000);
  await sql`INSERT INTO customer_profiles (customer_id, name) VALUES (${ana}, 'Ana'), (${ben}, 'Ben')`.execute(
    db,
  );
  return { ana, ben };
}

describe.each(hqBackends())('customer intel routes on $name', (backend) => {
  it('gives aggregates to view_reports in its stores, names only with view_customer_data over the chain', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      const { ana } = await seedRuns(db);
      await addUser(db, {
        username: 'sam',
        displayName: 'Sam',
        role: 'store_manager',
        password: PASSWORD,
        stores: ['S001'],
      });
      await addUser(db, {
        username: 'ada',
        displayName: 'Ada',
        role: 'associate',
        password: PASSWORD,
        stores: ['S001'],
      });
      await addUser(db, { username: 'hal', displayName: 'Hal', role: 'admin', password: PASSWORD });
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: 'admin-token-customer-intel' });
      try {
        const cookies = new Map<string, string>();
        const get = async (user: string, url: string) => {
          if (!cookies.has(user)) cookies.set(user, await signInCookie(app, user, PASSWORD));
          return app.inject({ method: 'GET', url, headers: { cookie: cookies.get(user) as string } });
        };
        expect((await app.inject({ method: 'GET', url: P.segments })).statusCode).toBe(401);
        expect((await get('ada', P.segments)).statusCode).toBe(403);
        expect((await get('sam', `${P.atRisk}?store=S002`)).statusCode).toBe(403);

        const seg = await get('sam', P.segments);
        expect(seg.statusCode, seg.body).toBe(200);
        const body = seg.json();
        const atRisk = body.segments.find((s: { segment: string }) => s.segment === 'at risk');
        // Sam sees S001 only: Ana, who moved from champions.
        expect(atRisk).toMatchObject({ customers: 1, previousCustomers: 0 });
        expect(body.flows).toEqual([
          { from: 'champions', to: 'at risk', customers: 1, expectedSpendMinor: 1000 },
        ]);

        const samList = (await get('sam', P.atRisk)).json();
        expect(samList.withNames).toBe(false);
        expect(samList.customers).toEqual([
          expect.objectContaining({ customerId: ana, shortCode: ana.slice(0, 8), lastStoreId: 'S001' }),
        ]);
        expect(samList.customers[0].name).toBeUndefined();

        const halList = (await get('hal', P.atRisk)).json();
        expect(halList.withNames).toBe(true);
        expect(halList.customers.map((c: { name: string }) => c.name)).toEqual(['Ana', 'Ben']);
        const audit = await listAudit(db, { limit: 10 });
        expect(JSON.stringify(audit)).toContain('customer.personal_data_listed');
      } finally {
        await app.close();
      }
    }));
});
