/**
 * One M5 evaluation window for the forecast benches: the history CSV up to the cutoff read as a panel
 * (through the file contract, as `tally eval` does), and a scorer of any forecasts for the 28 days after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cut, type M5Data, makeCut, writeM5History } from '../src/intel/forecast/eval/m5-data.ts';
import {
  type IntervalScore,
  intervalScore,
  type LevelScore,
  wrmsse,
} from '../src/intel/forecast/eval/metrics.ts';
import { alignForecasts, bottomSeries } from '../src/intel/forecast/eval/run-eval.ts';
import { readHistory } from '../src/intel/forecast/history-csv.ts';
import type { Panel, SeriesForecast } from '../src/intel/forecast/panel.ts';

export const WINDOW_DAYS = 28;
const HISTORY_DAYS = 1095;

export interface WindowScore {
  wrmsse: number;
  levels: LevelScore[];
  intervals: IntervalScore;
}

export interface M5Window {
  panel: Panel;
  cut: Cut;
  score(forecasts: readonly SeriesForecast[]): WindowScore;
}

export async function withM5Window<T>(
  data: M5Data,
  cutoff: string,
  run: (w: M5Window) => Promise<T>,
): Promise<T> {
  const cut = makeCut(data, cutoff, WINDOW_DAYS);
  const tmp = await mkdtemp(join(tmpdir(), 'tally-m5-window-'));
  try {
    const csv = join(tmp, 'h.csv');
    await writeM5History(data, cut, HISTORY_DAYS, csv);
    const panel = await readHistory(csv, { horizon: WINDOW_DAYS });
    const bottom = bottomSeries(data, cut.cutoff, cut.actual);
    const score = (forecasts: readonly SeriesForecast[]): WindowScore => {
      const qs = alignForecasts(data, { calendar: panel.calendar, forecasts }, cut.cutoff, WINDOW_DAYS);
      const w = wrmsse(
        bottom,
        qs.map((q) => q.mean),
      );
      return { wrmsse: w.total, levels: w.levels, intervals: intervalScore(bottom, qs) };
    };
    return await run({ panel, cut, score });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
