/** Piscina worker: fits the global model on one group of series and forecasts them. */
import type { Panel, SeriesForecast } from '../panel.ts';
import { fitGlobal, type GlobalOptions, predictGlobal } from './model.ts';

export interface GroupTask {
  panel: Panel;
  /** Options without callbacks (functions cannot cross threads). */
  opts: Omit<GlobalOptions, 'onStage' | 'onRound'>;
}

export default function forecastGroup(task: GroupTask): SeriesForecast[] {
  return predictGlobal(task.panel, fitGlobal(task.panel, task.opts));
}
