/**
 * Accuracy guard for speed work on dense panels: store-item-demand (500 series, no zero days) forecast
 * for its last 28 days from the history before them, per variant of the ensemble: mean RMSSE over series,
 * the mean absolute percentage error of the daily total, p10–p90 coverage and the forecast's wall time.
 * `npx tsx bench/forecast-sid-holdout.ts [variant,…]` (variants below; default: single,pair).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EnsembleOptions, forecastTally } from '../src/intel/forecast/ensemble.ts';
import { findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { readHistory } from '../src/intel/forecast/history-csv.ts';

const CUT = '2017-12-03';
const VARIANTS: Record<string, EnsembleOptions> = {
  // The defaults (one GBDT with DENSE_GBDT_PARAMS on this dense panel).
  single: {},
  pair: { pair: true },
  'single, default steps': { globalOptions: { params: { learningRate: 0.1, earlyStoppingRounds: 50 } } },
  'single, lr 0.2': { globalOptions: { params: { learningRate: 0.2 } } },
  'single, half the rows': { globalOptions: { rowSample: 0.5 } },
  'single, 365 train days': { globalOptions: { trainDays: 365 } },
};

const dir = findDataDir();
const src = dir ? join(dir, 'store-item-demand', 'train.csv') : '';
if (!dir || !existsSync(src)) {
  console.log('forecast-sid-holdout: store-item-demand data absent, skipped');
  process.exit(0);
}
const tmp = await mkdtemp(join(tmpdir(), 'tally-sid-holdout-'));
const rows = ['series_id,date,qty,store,item'];
const actual = new Map<string, Map<string, number>>();
for (const l of readFileSync(src, 'utf8').trim().split('\n').slice(1)) {
  const [date, store, item, sales] = l.split(',') as [string, string, string, string];
  const id = `s${store}_i${item}`;
  if (date <= CUT) rows.push(`${id},${date},${sales},${store},${item}`);
  else {
    let m = actual.get(id);
    if (!m) {
      m = new Map();
      actual.set(id, m);
    }
    m.set(date, Number(sales));
  }
}
const csv = join(tmp, 'history.csv');
await writeFile(csv, `${rows.join('\n')}\n`);
try {
  const names = (process.argv[2] ?? 'single,pair').split(',');
  for (const name of names) {
    const o = VARIANTS[name];
    if (!o) throw new Error(`unknown variant '${name}': pass one of ${Object.keys(VARIANTS).join(', ')}`);
    const panel = await readHistory(csv, { horizon: 28 });
    const t0 = performance.now();
    const out = await forecastTally(panel, { global: true, ...o });
    const secs = (performance.now() - t0) / 1000;
    let rmsse = 0;
    let inside = 0;
    let cells = 0;
    const totA = new Float64Array(28);
    const totF = new Float64Array(28);
    out.forecasts.forEach((f, i) => {
      const s = panel.series[i];
      const a = s && actual.get(s.id);
      if (!s || !a) return;
      let scale = 0;
      for (let t = s.first + 1; t <= s.last; t++)
        scale += ((s.history[t] as number) - (s.history[t - 1] as number)) ** 2 / (s.last - s.first);
      let se = 0;
      f.horizon.forEach((t, j) => {
        const y = a.get(panel.calendar.dates[t] as string) ?? 0;
        const m = f.mean[j] as number;
        se += (y - m) ** 2;
        totA[j] = (totA[j] as number) + y;
        totF[j] = (totF[j] as number) + m;
        if (y >= (f.p10[j] as number) && y <= (f.p90[j] as number)) inside++;
        cells++;
      });
      rmsse += Math.sqrt(se / f.horizon.length / scale) / out.forecasts.length;
    });
    let mape = 0;
    for (let j = 0; j < 28; j++)
      mape += Math.abs((totA[j] as number) - (totF[j] as number)) / (totA[j] as number) / 28;
    console.log(
      JSON.stringify({
        variant: name,
        forecastSeconds: +secs.toFixed(1),
        meanRmsse: +rmsse.toFixed(4),
        totalMape: +mape.toFixed(4),
        p10p90Coverage: +(inside / cells).toFixed(3),
      }),
    );
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
