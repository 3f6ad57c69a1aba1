import type { Logger } from 'pino';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import type { HqDb } from '../../src/db/hq-db.ts';
import { seedDemoHistory } from '../../src/demo/demo-history.ts';
import { seedDemoChain, seedDemoDrafts } from '../../src/demo/index.ts';
import { refreshHqForecasts } from '../../src/intel/forecast/hq-refresh.ts';
import { latestRun } from '../../src/intel/forecast/hq-store.ts';
import { defaultPolicy } from '../../src/intel/replenish/index.ts';
import { sampleDrafts } from '../../src/intel/replenish/sample-drafts.ts';
import { saveDrafts } from '../../src/intel/replenish/store.ts';

/** The supplier of a draft that orders for S002 only: S001's manager must never see it. */
export const OTHER_STORE_SUPPLIER = 'Only for S002';
/** A second open draft for S001, still open after the manager approves the demo's. */
export const SECOND_SUPPLIER = 'Frischdienst Süd';

/**
 * The demo's history on a smaller chain (two stores, 40 products, 120 days), a forecast run, the
 * drafts replenishment makes from it, and one second draft for S001 and one for the store the manager may not see: enough for every panel to show real rows.
 */
export async function seedDashboardDemo(db: HqDb, logger: Logger, now?: Date): Promise<void> {
  await seedDemoChain(db, hqEventRegistry, { stores: 2, products: 40 });
  await seedDemoHistory(db, hqEventRegistry, { days: 120, logger, ...(now ? { now } : {}) });
  // The demo may already make a run; the screen needs one either way.
  if (!(await latestRun(db))) await refreshHqForecasts(db, { logger, horizonDays: 28, threads: 1 });
  // The demo's drafts, as `tally demo` makes them: replenishment over that run.
  await seedDemoDrafts(db, { logger });
  const skus = (await db.selectFrom('products').select('sku').orderBy('sku').limit(2).execute()).map(
    (p) => p.sku,
  );
  const sku = skus[0]!;
  const inputs = sampleDrafts()[0]!.lines[0]!.inputs;
  await saveDrafts(
    db,
    [
      {
        supplierId: SECOND_SUPPLIER,
        totalMinor: 6 * 90,
        lines: [
          {
            storeId: 'S001',
            sku: skus[1]!,
            seriesId: `S001|${skus[1]}`,
            qty: 6,
            unitCostMinor: 90,
            inputs,
            reason: 'expected to run out before the next delivery',
          },
        ],
      },
      {
        supplierId: OTHER_STORE_SUPPLIER,
        totalMinor: 12 * 150,
        lines: [
          {
            storeId: 'S002',
            sku,
            seriesId: `S002|${sku}`,
            qty: 12,
            unitCostMinor: 150,
            inputs,
            reason: 'below the reorder point',
          },
        ],
      },
    ],
    { actor: 'nightly', policy: defaultPolicy },
  );
}
