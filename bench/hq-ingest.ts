import { enrollTerminal } from '../src/access/index.ts';
import { authenticateTerminal } from '../src/access/terminals.ts';
import { readBenchConfig } from '../src/apps/config.ts';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { createLogger } from '../src/core/log.ts';
import { dropSchema, openHqDb } from '../src/db/hq-db.ts';
import { seedDemoChain } from '../src/demo/index.ts';
import { ingestBatch } from '../src/sync/hq/ingest.ts';
import { sampleSaleEvents } from './sample-events.ts';

const EVENTS = 20_000;
const BATCH = 500;
const BIG = 5_000;

async function run(label: string, url: string | undefined): Promise<Record<string, string | number>> {
  const logger = createLogger('bench', 'silent');
  const schema = url ? `bench_${Date.now()}` : undefined;
  const opened = await openHqDb({ migrations: hqMigrations, url, schema, logger });
  try {
    await seedDemoChain(opened.db, hqEventRegistry, { stores: 1, products: 300 });
    const enrolled = await enrollTerminal(opened.db, { storeId: 'S001' });
    const auth = (await authenticateTerminal(opened.db, enrolled.token))!;
    const skus = (await opened.db.selectFrom('products').select('sku').execute()).map((r) => r.sku);
    const events = sampleSaleEvents({ n: EVENTS, storeId: 'S001', terminalId: enrolled.terminalId, skus });
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      await ingestBatch(opened.db, hqEventRegistry, auth, {
        terminalId: enrolled.terminalId,
        events: events.slice(i, i + BATCH),
      });
    }
    const secs = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await ingestBatch(opened.db, hqEventRegistry, auth, {
      terminalId: enrolled.terminalId,
      events: events.slice(0, BATCH),
    });
    const dup = performance.now() - t1;
    // One big batch as the route stores it (projection left to the bus), the size that stalled HQ.
    const big = sampleSaleEvents({
      n: BIG,
      storeId: 'S001',
      terminalId: enrolled.terminalId,
      skus,
      firstSeq: EVENTS + 1,
    });
    const t2 = performance.now();
    await ingestBatch(
      opened.db,
      hqEventRegistry,
      auth,
      { terminalId: enrolled.terminalId, events: big },
      { project: 'bus', limits: { maxEventsPerBatch: BIG, maxBatchBytes: 64 * 1024 * 1024 } },
    );
    const bigMs = performance.now() - t2;
    return {
      backend: label,
      events: EVENTS,
      'events/s': Math.round(EVENTS / secs),
      'ms per batch': ((secs * 1000 * BATCH) / EVENTS).toFixed(1),
      'resent batch (all duplicates) ms': dup.toFixed(1),
      [`one batch of ${BIG}, bus mode, ms`]: bigMs.toFixed(0),
    };
  } finally {
    await opened.close();
    if (url && schema) await dropSchema(url, schema);
  }
}

/** Events per second into HQ (event log + projections in one transaction) on PGlite and PostgreSQL. */
export async function benchIngest(): Promise<Record<string, string | number>[]> {
  const rows = [await run('PGlite (embedded)', undefined)];
  const pg = readBenchConfig().pgUrl;
  if (pg) rows.push(await run('PostgreSQL', pg));
  else rows.push({ backend: 'PostgreSQL', events: 'skipped: set TALLY_BENCH_PG_URL or TALLY_TEST_PG_URL' });
  return rows;
}
