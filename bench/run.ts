import { fileURLToPath } from 'node:url';
import { benchAudit } from './audit.ts';
import { benchBackbone } from './backbone.ts';
import { benchBackboneClose } from './backbone-close.ts';
import { benchCatalogDelta } from './backbone-delta.ts';
import { benchCustomersScore } from './customers-score.ts';
import { benchDashboardApi } from './dashboard-api.ts';
import { benchDashboardPaint } from './dashboard-paint.ts';
import { FIGURES_DOC, writeFigures } from './figures-doc.ts';
import { benchForecast } from './forecast.ts';
import { benchForecastBlend } from './forecast-blend.ts';
import { benchForecastFeatures } from './forecast-features.ts';
import { benchGbdtM5 } from './gbdt-m5.ts';
import { benchHqForecast } from './hq-forecast.ts';
import { benchIngest } from './hq-ingest.ts';
import { benchImport } from './import.ts';
import { benchReservations } from './inventory-reservations.ts';
import { benchPricing } from './pricing-helpers.ts';
import { benchTillPricing } from './pricing-till.ts';
import { benchRegisterScan } from './register-scan.ts';
import { benchRegisterScreen } from './register-screen.ts';
import { benchReplenishSim } from './replenish-sim.ts';
import { benchReplenishSpeed } from './replenish-speed.ts';
import { benchSaleCommit } from './sale-commit.ts';
import { benchSaleCommitPromotions } from './sale-commit-promotions.ts';
import { printedTables, printTable } from './stats.ts';
import { benchStoredValue } from './stored-value.ts';
import { wireSize } from './wire-size.ts';

/** `npm run bench`: every figure the issues ask for, printed as tables and written to docs/BENCHMARKS.md. */
export async function runBenchmarks(): Promise<void> {
  const heading = `Tally benchmarks — node ${process.version}, ${new Date().toISOString()}`;
  console.log(heading);
  printTable('Sale commit at the till (ledger, WAL + synchronous=FULL)', await benchSaleCommit());
  printTable('Sale commit at the till with promotions', await benchSaleCommitPromotions());
  printTable('HQ ingest, batches of 500 sale events', await benchIngest());
  printTable('Bytes on the wire per sale event', wireSize());
  printTable('Event backbone: outbox → projections (noisy: shared 2-core machine)', await benchBackbone());
  printTable('Event backbone: how long close() takes', await benchBackboneClose());
  printTable('Catalog pull: one day of changes vs a full snapshot', await benchCatalogDelta());
  printTable('Cart pricing with promotions', benchPricing());
  printTable('Cart pricing at the till (store rules, tax classes, promotions)', benchTillPricing());
  printTable('Register: scan to cart total, events per sale', await benchRegisterScan());
  printTable('Register screen: scan to total on screen (headless Chromium)', await benchRegisterScreen());
  printTable(
    'Dashboard: navigation to operations view painted (headless Chromium, demo data)',
    await benchDashboardPaint(),
  );
  printTable('Reservations: 50 clients on the last units', await benchReservations());
  printTable('Gift card redemption authorisation at HQ over HTTP', await benchStoredValue());
  printTable('Audit log at HQ, hash chain on (shared 2-core machine, noisy)', await benchAudit());
  printTable('Catalog import of a generated 100,000-row export', await benchImport(100_000));
  printTable('Replenishment for 100,000 SKU-locations (one thread)', benchReplenishSpeed());
  const sim = await benchReplenishSim({ quick: true });
  if (sim.length)
    printTable('Replenishment simulated on M5 demand (all scenarios: tsx bench/replenish-sim.ts)', sim);
  await benchForecast();
  printTable('Forecasts at HQ on the M5 subset (in-memory PGlite; noisy)', await benchHqForecast());
  printTable(
    'Dashboard API on a year of history for 10 stores (PGlite; shared 2-core machine, noisy)',
    await benchDashboardApi(),
  );
  printTable(
    'Global GBDT forecaster on the M5 subset (28 days; shared 2-core machine, noisy)',
    await benchGbdtM5(),
  );
  printTable(
    'Customer scores on Online Retail, as-of 2011-09-09, 90 days (shared 2-core machine, noisy)',
    await benchCustomersScore(),
  );
  await benchForecastBlend();
  // The main M5 window only here; `tsx bench/forecast-features.ts` runs all six.
  await benchForecastFeatures(['2016-04-24']);
  // The same tables, kept in the docs: the last full run's figures.
  writeFigures(`Last run: ${heading.replace('Tally benchmarks — ', '')}.`, printedTables);
  console.log(`\nfigures written to ${FIGURES_DOC.pathname}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runBenchmarks();
}
