/**
 * Forecasting speed: 944 M5 series × 28 days (local models, and with the global model), 500
 * store-item-demand series, and scaling at 1×, 4×, 16× replicated M5 series. Each case runs in its own
 * process so its peak RSS is its own. Times include reading the long CSV (training is always included).
 * `npx tsx bench/forecast.ts [case…]`. Figures on the shared 2-core machine are noisy.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forecastTally } from '../src/intel/forecast/ensemble.ts';
import { loadM5, makeCut, writeM5History } from '../src/intel/forecast/eval/m5-data.ts';
import { findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { readHistory } from '../src/intel/forecast/history-csv.ts';
import { printTable } from './stats.ts';

const CUTOFF = '2016-04-24';

/** Writes the case's long CSV: M5 at the cutoff (replicated `times` times) or store-item-demand. */
async function prepare(kind: string, times: number, path: string): Promise<boolean> {
  const dir = findDataDir();
  if (!dir) return false;
  if (kind === 'sid') {
    const src = join(dir, 'store-item-demand', 'train.csv');
    if (!existsSync(src)) return false;
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(src, 'utf8')).trim().split('\n').slice(1);
    const rows = ['series_id,date,qty,store,item'];
    for (const l of lines) {
      const [date, store, item, sales] = l.split(',');
      rows.push(`s${store}_i${item},${date},${sales},${store},${item}`);
    }
    await writeFile(path, `${rows.join('\n')}\n`);
    return true;
  }
  const data = await loadM5(join(dir, 'm5-subset'));
  const cut = makeCut(data, CUTOFF, 28);
  if (times === 1) {
    await writeM5History(data, cut, 1095, path);
    return true;
  }
  // Replicas get new ids (and store names, so groups stay the size they are).
  const one = `${path}.one`;
  await writeM5History(data, cut, 1095, one);
  const { readFile } = await import('node:fs/promises');
  const [head, ...body] = (await readFile(one, 'utf8')).trim().split('\n');
  // Streamed: 16 replicas are over a gigabyte, more than one string can hold.
  const out = createWriteStream(path);
  out.write(`${head}\n`);
  for (let r = 0; r < times; r++) {
    const chunk = body.map((l) => {
      const cols = l.split(',');
      cols[0] = `${cols[0]}_r${r}`;
      cols[6] = `${cols[6]}_r${r}`;
      return cols.join(',');
    });
    if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rm(one);
  return true;
}

/** One case, in this process: prints a JSON line with its figures. */
async function runCase(csv: string, mode: string): Promise<void> {
  const t0 = performance.now();
  const panel = await readHistory(csv, { horizon: 28 });
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  // 'read': the history reader alone (its time and memory at scale).
  if (mode !== 'read') await forecastTally(panel, { global: mode === 'true' });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c1);
  console.log(
    JSON.stringify({
      series: panel.series.length,
      readSeconds: (t1 - t0) / 1000,
      forecastSeconds: (t2 - t1) / 1000,
      forecastCpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

const CASES: Record<string, { kind: string; times: number; global: boolean | 'read' }> = {
  'm5 local': { kind: 'm5', times: 1, global: false },
  'm5 local+global': { kind: 'm5', times: 1, global: true },
  'store-item-demand local+global': { kind: 'sid', times: 1, global: true },
  'm5 ×4 local': { kind: 'm5', times: 4, global: false },
  'm5 ×16 local': { kind: 'm5', times: 16, global: false },
  // Scaling of the whole forecast (local models and the global model): 1×, 4× and 16× the M5 series.
  'm5 ×4 local+global': { kind: 'm5', times: 4, global: true },
  'm5 ×16 local+global': { kind: 'm5', times: 16, global: true },
  'm5 ×16 read only': { kind: 'm5', times: 16, global: 'read' },
};

export async function benchForecast(names = Object.keys(CASES)): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  if (!findDataDir()) {
    console.log('forecast bench: ../shared/data is absent, skipped');
    return rows;
  }
  const tmp = await mkdtemp(join(tmpdir(), 'tally-bench-fc-'));
  try {
    for (const name of names) {
      const c = CASES[name];
      if (!c) continue;
      const csv = join(tmp, `${c.kind}-${c.times}.csv`);
      if (!existsSync(csv) && !(await prepare(c.kind, c.times, csv))) {
        rows.push({ case: name, note: 'data absent' });
        continue;
      }
      process.stderr.write(`forecast bench: ${name}\n`);
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', csv, String(c.global)],
        { encoding: 'utf8', env: { ...process.env, TALLY_LOG_LEVEL: 'silent' }, maxBuffer: 1 << 24 },
      );
      const r = JSON.parse(out.trim().split('\n').pop() as string);
      const row = {
        case: name,
        series: r.series,
        'read s': r.readSeconds.toFixed(1),
        'forecast s': r.forecastSeconds.toFixed(1),
        'total s': (r.readSeconds + r.forecastSeconds).toFixed(1),
        'forecast cpu s': r.forecastCpuSeconds.toFixed(1),
        'peak RSS MB': Math.round(r.peakRssMb),
      };
      // Each case as it finishes, so a long run still leaves its figures.
      process.stderr.write(`${JSON.stringify(row)}\n`);
      rows.push(row);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  printTable(
    `Forecasting: 28 days ahead, training included (load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores: noisy)`,
    rows,
  );
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--case');
  if (i > 0) await runCase(process.argv[i + 1] as string, process.argv[i + 2] as string);
  else await benchForecast(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
