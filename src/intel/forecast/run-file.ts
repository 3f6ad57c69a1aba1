import { existsSync } from 'node:fs';
/** File in, file out: read the history CSV, forecast, write the forecast CSV, with progress on stderr. */
import { SingleBar } from 'cli-progress';
import { createLogger, invalid, type Logger } from '../../core/index.ts';
import { forecastTally } from './ensemble.ts';
import { writeForecastCsv } from './forecast-csv.ts';
import { readHistory } from './history-csv.ts';
import type { PanelForecast } from './panel.ts';
import { ALL_MODELS, type ModelName } from './select.ts';

export interface RunFileOptions {
  history: string;
  horizon: number;
  out: string;
  threads?: number | undefined;
  models?: string[] | undefined;
  /** Blend in the global gradient-boosted model (default true; it needs enough series to learn from). */
  global?: boolean | undefined;
  /** Progress and timings; silent when absent (the CLI passes one at the configured level). */
  logger?: Logger;
}

export function parseModels(names: string[] | undefined): ModelName[] | undefined {
  if (!names) return undefined;
  for (const n of names) {
    if (!(ALL_MODELS as readonly string[]).includes(n)) {
      throw invalid('models', `unknown model "${n}" (known: ${ALL_MODELS.join(', ')})`);
    }
  }
  return names as ModelName[];
}

export async function runForecastFile(o: RunFileOptions): Promise<PanelForecast> {
  const log = o.logger ?? createLogger('forecast', 'silent');
  const models = parseModels(o.models);
  const t0 = performance.now();
  if (!existsSync(o.history)) {
    throw invalid('history', `no file at ${o.history}; pass --history <csv> with series_id,date,qty columns`);
  }
  process.stderr.write(`reading ${o.history}\n`);
  const panel = await readHistory(o.history, {
    horizon: o.horizon,
    onProgress: (rows) => process.stderr.write(`\r  ${rows.toLocaleString('en')} rows`),
  });
  process.stderr.write(`\n${panel.series.length} series, ${panel.calendar.dates.length} days\n`);
  const bar = new SingleBar({
    format: 'forecast [{bar}] {value}/{total} series {eta}s',
    stream: process.stderr,
  });
  bar.start(panel.series.length, 0);
  const result = await forecastTally(panel, {
    global: o.global ?? true,
    onStage: (st) => log.info({ stage: st }, 'forecast stage'),
    threads: o.threads,
    ...(models ? { models } : {}),
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  await writeForecastCsv(o.out, result);
  log.info(
    { series: panel.series.length, out: o.out, ms: Math.round(performance.now() - t0) },
    'forecast written',
  );
  return result;
}
