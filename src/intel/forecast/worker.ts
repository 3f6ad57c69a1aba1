/** Piscina worker: forecasts one chunk of series. Kept tiny so a worker loads only the model code. */
import type { Calendar, Series } from './panel.ts';
import { forecastSeries, type RawForecast, type SelectOptions } from './select.ts';

export interface ChunkTask {
  calendar: Calendar;
  series: Series[];
  opts: SelectOptions;
  /** Weekday profile of each series' group (aligned with `series`), or null for none. */
  profiles: (Float64Array | null)[];
}

export default function forecastChunk(task: ChunkTask): RawForecast[] {
  return task.series.map((s, i) =>
    forecastSeries(s, task.calendar, task.opts, task.profiles[i] ?? undefined),
  );
}
