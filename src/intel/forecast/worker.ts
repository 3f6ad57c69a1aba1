/** Piscina worker: forecasts one chunk of series. Kept tiny so a worker loads only the model code. */
import type { Calendar, Series } from './panel.ts';
import { forecastSeries, type RawForecast, type SelectOptions } from './select.ts';

export interface ChunkTask {
  calendar: Calendar;
  series: Series[];
  opts: SelectOptions;
}

export default function forecastChunk(task: ChunkTask): RawForecast[] {
  return task.series.map((s) => forecastSeries(s, task.calendar, task.opts));
}
