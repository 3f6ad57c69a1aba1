import { useMemo } from 'react';
import type { ScopeResponse } from '../../../contracts/index.ts';
import { formatCount } from '../format.ts';
import { useForecast } from '../queries.ts';
import { Chart } from '../ui/Chart.tsx';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { sourceText } from '../ui/source.ts';
import { forecastOption } from './forecastOption.ts';

export interface ForecastTarget {
  store: string | undefined;
  sku?: string;
  category?: string;
}

/**
 * One series' history, forecast and likely range. The words under the title name the band's "±" (the
 * shaded p10–p90, as stored) and the backtest's mean absolute error separately, both from the API.
 * A product comes from an inventory row, the drill-down or the briefing; otherwise a category is picked.
 */
export function ForecastPanel({
  scope,
  target,
  onCategory,
}: {
  scope: ScopeResponse;
  target: ForecastTarget;
  onCategory: (category: string) => void;
}) {
  const category = target.sku ? undefined : (target.category ?? scope.categories[0]?.id);
  const ask = { store: target.store, sku: target.sku, category };
  const fc = useForecast(ask, Boolean(ask.sku || ask.category));
  const option = useMemo(() => (fc.data ? forecastOption(fc.data) : undefined), [fc.data]);
  const next7 = fc.data?.forecast.slice(0, 7).reduce((s, d) => s + d.mean, 0);
  return (
    <Panel
      title={
        fc.data
          ? `Forecast · ${fc.data.series.name}${fc.data.series.storeId ? ` · ${fc.data.series.storeId}` : ''}`
          : 'Forecast'
      }
      source={fc.data?.source}
      testId="forecast-panel"
      wide
      actions={
        <label className="picker">
          <span className="picker-label">Category</span>
          <select
            id="forecast-category"
            value={target.sku ? '' : (category ?? '')}
            onChange={(e) => onCategory(e.target.value)}
          >
            {target.sku ? <option value="">Product {target.sku}</option> : null}
            {scope.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {!ask.sku && !ask.category ? (
        <p className="state empty">Pick a category, or open a product from the lists.</p>
      ) : (
        <QueryState
          query={fc}
          isEmpty={(f) => f.forecast.length === 0 && f.history.length === 0}
          empty="No history or forecast for this series yet."
        >
          {(f) => (
            <>
              <p className="trust" data-testid="trust" title={sourceText(f.source)}>
                <strong>{f.trust.text.charAt(0).toUpperCase() + f.trust.text.slice(1)}.</strong>{' '}
                <span className="muted">
                  Model {f.trust.model}
                  {next7 === undefined ? '' : ` · next 7 days ≈ ${formatCount(Math.round(next7))} units`}
                </span>
              </p>
              {option ? (
                <Chart
                  option={option}
                  label={`Sales history and forecast for ${f.series.name}`}
                  testId="forecast-chart"
                  height={320}
                />
              ) : null}
            </>
          )}
        </QueryState>
      )}
    </Panel>
  );
}
