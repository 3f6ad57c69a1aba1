/**
 * How long a store's tills take to hear of their customers' segments: 60 000 customers in 3 stores, a
 * first scoring run (everyone new), a second where 5 % moved; then every page one store's till pulls,
 * timed at HQ (tillCustomerChanges). Needs PostgreSQL: TALLY_BENCH_PG_URL (a throwaway schema is used).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { createStore } from '../src/catalog/hq/stores.ts';
import { publishCustomerSegments, tillCustomerChanges } from '../src/customers/hq/index.ts';
import { dropSchema, openHqDb } from '../src/db/hq-db.ts';

const url = process.env.TALLY_BENCH_PG_URL ?? process.env.TALLY_TEST_PG_URL;
if (!url) throw new Error('set TALLY_BENCH_PG_URL to a PostgreSQL database');
const N = 60_000;
const SEGMENTS = ['champions', 'loyal customers', 'at risk', 'hibernating', 'lost', 'new customers'];
const schema = `bench_${randomUUID().slice(0, 8)}`;
const { db, close } = await openHqDb({
  migrations: hqMigrations,
  url,
  schema,
  logger: pino({ level: 'silent' }),
});
try {
  for (const s of ['S001', 'S002', 'S003'])
    await createStore(db, {
      storeId: s,
      name: s,
      address: '',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      taxInclusive: true,
    });
  const ids = Array.from({ length: N }, () => randomUUID());
  await sql`INSERT INTO customer_profiles (customer_id, registered_store_id, registered_at)
    SELECT id, 'S00' || (1 + (ord % 3))::text, now() FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS u(id, ord)`.execute(
    db,
  );
  const pull = async (label: string, since: string | undefined) => {
    const t0 = performance.now();
    let cursor = since;
    let pages = 0;
    let customers = 0;
    let bytes = 0;
    let slowest = 0;
    for (;;) {
      const p0 = performance.now();
      const page = await tillCustomerChanges(db, 'S001', cursor);
      slowest = Math.max(slowest, performance.now() - p0);
      pages++;
      customers += page.changes.length;
      bytes += JSON.stringify(page).length;
      cursor = page.cursor;
      if (!page.more) break;
    }
    console.log(
      `${label}: ${customers} customers in ${pages} pages, ${Math.round(bytes / 1024)} KiB, ${Math.round(performance.now() - t0)} ms (slowest page ${Math.round(slowest)} ms)`,
    );
    return cursor;
  };
  const start = await pull('before any run', undefined);
  let t = performance.now();
  const first = ids.map((customerId, i) => ({ customerId, segment: SEGMENTS[i % SEGMENTS.length]! }));
  const moved1 = await publishCustomerSegments(db, first, '2026-03-01');
  console.log(`first run: ${moved1} segments written in ${Math.round(performance.now() - t)} ms`);
  const c1 = await pull('first run, S001', start);
  const second = first.map((r, i) =>
    i % 20 === 0 ? { ...r, segment: SEGMENTS[(i + 1) % SEGMENTS.length]! } : r,
  );
  t = performance.now();
  const moved2 = await publishCustomerSegments(db, second, '2026-03-02');
  console.log(`second run: ${moved2} moved, written in ${Math.round(performance.now() - t)} ms`);
  await pull('second run, S001', c1);
} finally {
  await close();
  await dropSchema(url, schema);
}
