import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type AuditEntryInput, recordAudit, verifyAuditChain } from '../src/access/index.ts';
import { readBenchConfig } from '../src/apps/config.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { createLogger } from '../src/core/log.ts';
import { dropSchema, type HqDb, openHqDb } from '../src/db/hq-db.ts';
import { ms, printTable } from './stats.ts';

const SEQUENTIAL = 1_000;
const WRITERS = 8;
const CONCURRENT = 1_000;
const CHAIN = 10_000;
const FILL_BATCH = 500;

/** A price change as a route records it: before and after, a target, a store, a route and request id. */
const entry = (n: number): AuditEntryInput => ({
  actor: { kind: 'user', id: `manager-${n % 7}` },
  action: 'catalog.price_changed',
  target: { type: 'product', id: `SKU-${n}` },
  storeId: `S00${n % 5}`,
  route: '/api/v1/catalog/prices',
  requestId: `req-${n}`,
  before: {
    id: n,
    sku: `SKU-${n}`,
    scope: 'store',
    priceMinor: 349,
    effectiveFrom: '2025-03-01T00:00:00.000Z',
  },
  after: {
    id: n + 1,
    sku: `SKU-${n}`,
    scope: 'store',
    priceMinor: 379,
    effectiveFrom: '2025-03-02T00:00:00.000Z',
  },
});

const perSecond = (count: number, elapsedMs: number): number => Math.round((count * 1000) / elapsedMs);

/**
 * The audit log's cost at HQ with the hash chain on: appends one at a time (each its own transaction,
 * as a route without a transaction writes), appends from 8 writers at once (they queue on the chain
 * head's row lock), and how long `verifyAuditChain` takes per 10 000 entries.
 */
async function run(label: string, db: HqDb): Promise<Record<string, string | number>> {
  let n = 0;
  for (let i = 0; i < 50; i++) await recordAudit(db, entry(n++)); // warm-up

  let t0 = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await recordAudit(db, entry(n++));
  const sequential = performance.now() - t0;

  t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = 0; i < CONCURRENT / WRITERS; i++) await recordAudit(db, entry(n++));
    }),
  );
  const concurrent = performance.now() - t0;

  // Up to CHAIN entries, FILL_BATCH per transaction (the in-transaction path routes take).
  while (n < CHAIN)
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < FILL_BATCH && n < CHAIN; i++) await recordAudit(trx, entry(n++));
    });
  t0 = performance.now();
  const v = await verifyAuditChain(db);
  const verify = performance.now() - t0;
  if (!v.ok || v.checked !== CHAIN) throw new Error(`bench: the chain did not verify: ${JSON.stringify(v)}`);
  return {
    backend: label,
    'appends/s (1 writer)': perSecond(SEQUENTIAL, sequential),
    [`appends/s (${WRITERS} writers)`]: perSecond(CONCURRENT, concurrent),
    'verify per 10 000 entries': ms((verify * 10_000) / v.checked),
  };
}

async function onBackend(label: string, url: string | undefined): Promise<Record<string, string | number>> {
  const logger = createLogger('bench', 'silent');
  const schema = url ? `bench_audit_${randomBytes(4).toString('hex')}` : undefined;
  const opened = await openHqDb({ migrations: hqMigrations, url, schema, logger });
  try {
    return await run(label, opened.db);
  } finally {
    await opened.close();
    if (url && schema) await dropSchema(url, schema);
  }
}

export async function benchAudit(): Promise<Record<string, string | number>[]> {
  const rows = [await onBackend('PGlite (in memory)', undefined)];
  const pg = readBenchConfig().pgUrl;
  rows.push(
    pg
      ? await onBackend('PostgreSQL', pg)
      : {
          backend: 'PostgreSQL',
          'appends/s (1 writer)': 'skipped: set TALLY_BENCH_PG_URL or TALLY_TEST_PG_URL',
        },
  );
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable('Audit log at HQ, hash chain on (shared 2-core machine, noisy)', await benchAudit());
}
