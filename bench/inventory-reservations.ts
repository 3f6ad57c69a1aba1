import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readBenchConfig } from '../src/apps/config.ts';
import { appendToHqLog } from '../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { isTallyError } from '../src/core/errors.ts';
import { createLogger } from '../src/core/log.ts';
import { seededRandom } from '../src/core/random.ts';
import { dropSchema, openHqDb } from '../src/db/hq-db.ts';
import { availability, type InventoryDeps, receiveFromSupplier, reserve } from '../src/inventory/hq/index.ts';
import { createBenchStore } from './fixtures.ts';
import { ms, printTable, summarise } from './stats.ts';

const CLIENTS = 50;
const SKUS = 20;
const UNITS_PER_SKU = 5;

/**
 * 50 clients race for the last units: each round puts 5 units of 20 new SKUs on the shelf, and every
 * client keeps reserving one unit of a random SKU until each SKU has refused it once. Every attempt
 * (won or refused) is timed; oversells are reservations beyond the units there were, counted both from
 * the winners and from the ledger (a level whose available went below zero).
 */
async function run(
  label: string,
  url: string | undefined,
  rounds: number,
): Promise<Record<string, string | number>> {
  const logger = createLogger('bench', 'silent');
  const schema = url ? `bench_inv_${Date.now()}` : undefined;
  const opened = await openHqDb({ migrations: hqMigrations, url, schema, logger, maxConnections: CLIENTS });
  const deps: InventoryDeps = { db: opened.db, append: appendToHqLog };
  const latencies: number[] = [];
  let won = 0;
  let refused = 0;
  let oversells = 0;
  let seconds = 0;
  try {
    await createBenchStore(opened.db);
    for (let round = 0; round < rounds; round++) {
      const skus = Array.from({ length: SKUS }, (_, i) => `R${round}-${i}`);
      await receiveFromSupplier(deps, {
        storeId: 'S001',
        supplier: 'bench',
        lines: skus.map((sku) => ({ sku, qty: UNITS_PER_SKU, unitCostMinor: 100 })),
      });
      const winsBySku = new Map<string, number>();
      const client = async (c: number): Promise<void> => {
        const random = seededRandom(round * 1_000 + c);
        const open = [...skus];
        while (open.length > 0) {
          const i = Math.floor(random() * open.length);
          const sku = open[i]!;
          const t0 = performance.now();
          try {
            await reserve(deps, { storeId: 'S001', lines: [{ sku, qty: 1 }], orderId: `bench-${c}` });
            won++;
            winsBySku.set(sku, (winsBySku.get(sku) ?? 0) + 1);
          } catch (err) {
            if (!(isTallyError(err) && err.status === 409)) throw err;
            refused++;
            open.splice(i, 1);
          }
          latencies.push(performance.now() - t0);
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
      seconds += (performance.now() - t0) / 1000;
      for (const n of winsBySku.values()) oversells += Math.max(0, n - UNITS_PER_SKU);
      const levels = await availability(opened.db, { storeIds: ['S001'] });
      oversells += levels.filter((l) => l.available < 0).reduce((s, l) => s - l.available, 0);
      process.stderr.write(`  ${label}: round ${round + 1}/${rounds}\r`);
    }
    process.stderr.write('\n');
    const s = summarise(latencies);
    return {
      backend: label,
      clients: CLIENTS,
      'units on shelf': rounds * SKUS * UNITS_PER_SKU,
      attempts: latencies.length,
      won,
      refused,
      'attempts/s': Math.round(latencies.length / seconds),
      'reservations/s': Math.round(won / seconds),
      median: ms(s.median),
      p99: ms(s.p99),
      oversells,
      // Figures swing with whatever else the machine runs; this says how busy it was.
      'load avg (1 min)': loadavg()[0]!.toFixed(1),
    };
  } finally {
    await opened.close();
    if (url && schema) await dropSchema(url, schema);
  }
}

/** Reservation throughput and latency under 50 concurrent clients on the last units, and oversells (must be 0). */
export async function benchReservations(): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const pg = readBenchConfig().pgUrl;
  if (pg) rows.push(await run('PostgreSQL', pg, 5));
  else rows.push({ backend: 'PostgreSQL', attempts: 'skipped: set TALLY_BENCH_PG_URL or TALLY_TEST_PG_URL' });
  // One connection: the 50 clients queue, so this shows the embedded ceiling, not contention.
  rows.push(await run('PGlite (embedded)', undefined, 2));
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable('Reservations: 50 clients on the last units', await benchReservations());
}
