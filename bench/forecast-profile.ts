/**
 * Phase times of one forecast run, each phase alone in this thread (no overlap), so the biggest phase is
 * plain to see: read, local models (per model family), each global GBDT (features, train, rounds), combine.
 * `npx tsx bench/forecast-profile.ts <long.csv>` (the CSV bench/forecast.ts writes, e.g. store-item-demand).
 */

import { forecastPanel } from '../src/intel/forecast/engine.ts';
import { combineForecasts } from '../src/intel/forecast/ensemble.ts';
import { forecastGlobal } from '../src/intel/forecast/global/index.ts';
import { readHistory } from '../src/intel/forecast/history-csv.ts';

const csv = process.argv[2];
if (!csv) throw new Error('pass the long history CSV');
const only = process.argv[3] ?? 'all';
const at = () => performance.now();
const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(2);
let t = at();
const panel = await readHistory(csv, { horizon: 28 });
console.log(`read ${secs(t)} s, ${panel.series.length} series, ${panel.calendar.weekday.length} days`);
let local: Awaited<ReturnType<typeof forecastPanel>> | undefined;
if (only === 'all' || only === 'local') {
  t = at();
  local = await forecastPanel(panel, { threads: 0 });
  const models = new Map<string, number>();
  for (const f of local.forecasts) models.set(f.model, (models.get(f.model) ?? 0) + 1);
  console.log(`local (1 thread) ${secs(t)} s`, Object.fromEntries(models));
}
const globals = [];
for (const weighted of only === 'all' || only === 'global' ? [false, true] : []) {
  t = at();
  let stage = at();
  let rounds = 0;
  const g = await forecastGlobal(panel, {
    horizon: 28,
    threads: 1,
    weighted,
    onStage: (s) => {
      console.log(`  gbdt ${weighted ? 'weighted' : 'plain'} stage '${s}' starts at ${secs(t)} s`);
      stage = at();
    },
    onRound: (r) => {
      rounds = r;
    },
  });
  console.log(
    `gbdt ${weighted ? 'weighted' : 'plain'} ${secs(t)} s, ${rounds} rounds (last stage ${secs(stage)} s)`,
  );
  globals.push(g);
}
if (local && globals.length === 2) {
  t = at();
  const [a, b] = globals;
  combineForecasts(panel, local.forecasts, a ?? []);
  console.log(`combine ${secs(t)} s`, b?.length);
}
