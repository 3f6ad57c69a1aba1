/**
 * Replenishment for 100,000 SKU-locations with 28-day forecasts: the policy (dispersion fit, reorder
 * point, lot, order, cover, stock-out risk), the morning lists and the draft orders. Inputs are
 * generated (seeded): a mix of fast, slow and intermittent items, varied lead times, packs, minimum
 * orders and capacities. Only the replenishment is timed. `npx tsx bench/replenish-speed.ts [n]`.
 */
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/core/random.ts';
import { countBands } from '../src/intel/forecast/intervals.ts';
import { buildDrafts } from '../src/intel/replenish/drafts.ts';
import { defaultPolicy, replenish } from '../src/intel/replenish/engine.ts';
import { type ForecastRows, type ReplenishInput, toBatch } from '../src/intel/replenish/inputs.ts';
import { buildLists } from '../src/intel/replenish/lists.ts';
import { printTable } from './stats.ts';

const H = 28;

export function benchReplenishSpeed(n = 100_000): Record<string, string>[] {
  const rnd = seededRandom(42);
  const dates = Array.from({ length: H }, (_, k) =>
    new Date(Date.UTC(2026, 0, 1 + k)).toISOString().slice(0, 10),
  );
  const inputs: ReplenishInput[] = new Array(n);
  const forecasts = new Map<string, ForecastRows>();
  const weekly = [1.1, 0.9, 0.9, 0.95, 1.05, 1.3, 0.8];
  const since = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Log-uniform rate from 0.02 to 50 a day: most items slow, a few fast, as in a real assortment.
    const rate = Math.exp(Math.log(0.02) + rnd() * Math.log(50 / 0.02));
    const phi = 1 + rnd() * 3;
    const mean = new Float64Array(H);
    for (let t = 0; t < H; t++) mean[t] = rate * (weekly[t % 7] as number);
    const b = countBands(mean, phi);
    const id = `S${i % 50}-${i}`;
    forecasts.set(id, { model: 'ses', dates, mean, p10: b.p10, p90: b.p90 });
    const pack = [1, 1, 6, 12, 24][Math.floor(rnd() * 5)] as number;
    inputs[i] = {
      seriesId: id,
      storeId: `S${i % 50}`,
      sku: String(i),
      onHand: Math.floor(rnd() * rate * 30),
      onOrder: rnd() < 0.2 ? pack * 2 : 0,
      unitCostMinor: 50 + Math.floor(rnd() * 2000),
      supplierId: `V${i % 37}`,
      leadDays: 2 + Math.floor(rnd() * 13),
      packSize: pack,
      minOrder: rnd() < 0.1 ? 48 : 0,
      capacity: rnd() < 0.3 ? Math.ceil(rate * 20) + pack : undefined,
    };
    since[i] = Math.floor(rnd() * 200);
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { batch, rows } = toBatch(inputs, forecasts, H);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const result = replenish(batch, defaultPolicy);
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const lists = buildLists(batch, result, since, 7);
  const drafts = buildDrafts(rows, batch, result, defaultPolicy);
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  const cpuSecs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): string =>
    `${((b.user - a.user + b.system - a.system) / 1e6).toFixed(2)} s`;
  const c3 = process.cpuUsage();
  const lines = drafts.reduce((s, d) => s + d.lines.length, 0);
  const secs = (a: number, b: number): string => `${((b - a) / 1000).toFixed(2)} s`;
  return [
    {
      'SKU-locations': n.toLocaleString('en'),
      'adapter (wall/CPU)': `${secs(t0, t1)} / ${cpuSecs(c0, c1)}`,
      'policy: s, Q, order, cover, risk (wall/CPU)': `${secs(t1, t2)} / ${cpuSecs(c1, c2)}`,
      'lists + drafts (wall/CPU)': `${secs(t2, t3)} / ${cpuSecs(c2, c3)}`,
      'total wall': secs(t0, t3),
      'total CPU': `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
      'draft lines': lines.toLocaleString('en'),
      suppliers: String(drafts.length),
      'at risk / slow / dead': `${lists.stockouts.length} / ${lists.slow.length} / ${lists.dead.length}`,
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 100_000);
  // Three runs: the first includes JIT warm-up; wall time on a shared machine is noisy, CPU time less so.
  const rows = [benchReplenishSpeed(n), benchReplenishSpeed(n), benchReplenishSpeed(n)].flat();
  printTable('Replenishment speed, 3 runs (one thread; wall time noisy: the machine is shared)', rows);
}
