import type { ForecastResponse } from '../../../contracts/index.ts';
import type { EChartsOption } from '../ui/echarts.ts';

/** Days of history drawn before the forecast: enough to see the weekly shape, not so many it squeezes. */
export const HISTORY_DAYS = 56;

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * History as a solid line, the forecast mean dashed, and the p10–p90 band shaded between them: the band
 * is drawn as p10 (invisible) plus a stacked (p90 − p10) area, the way ECharts draws a range.
 */
export function forecastOption(f: ForecastResponse): EChartsOption {
  const history = f.history.slice(-HISTORY_DAYS);
  const dates = [...history.map((h) => h.date), ...f.forecast.map((d) => d.date)];
  const pad = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);
  const histVals = [...history.map((h) => round(h.qty)), ...pad(f.forecast.length, null)];
  // The mean line starts at the last actual day so the two lines join.
  const last = history.at(-1);
  const meanVals = [
    ...pad(Math.max(0, history.length - 1), null),
    ...(last ? [round(last.qty)] : []),
    ...f.forecast.map((d) => round(d.mean)),
  ];
  const lowVals = [...pad(history.length, null), ...f.forecast.map((d) => round(d.p10))];
  const bandVals = [
    ...pad(history.length, null),
    ...f.forecast.map((d) => round(Math.max(0, d.p90 - d.p10))),
  ];
  const byDate = new Map(f.forecast.map((d) => [d.date, d]));
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 36, bottom: 56 },
    legend: { top: 0, data: ['Sold', 'Forecast (mean)', 'Likely range (p10–p90)'] },
    tooltip: {
      trigger: 'axis',
      formatter: (items: unknown) => {
        const list = Array.isArray(items)
          ? (items as { axisValue: string; seriesName: string; value: unknown }[])
          : [];
        const date = list[0]?.axisValue ?? '';
        const d = byDate.get(date);
        const sold = list.find((i) => i.seriesName === 'Sold')?.value;
        if (d)
          return `${date}<br/>Forecast ${round(d.mean)} units<br/>Likely ${round(d.p10)}–${round(d.p90)} units`;
        return `${date}<br/>Sold ${typeof sold === 'number' ? sold : 0} units`;
      },
    },
    xAxis: { type: 'category', data: dates, boundaryGap: false },
    yAxis: { type: 'value', name: 'units / day', min: 0 },
    dataZoom: [{ type: 'slider', height: 18, bottom: 8 }],
    series: [
      {
        name: 'p10',
        type: 'line',
        data: lowVals,
        stack: 'band',
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
      },
      {
        name: 'Likely range (p10–p90)',
        type: 'line',
        data: bandVals,
        stack: 'band',
        lineStyle: { opacity: 0 },
        areaStyle: { color: 'rgba(22, 104, 184, 0.18)' },
        itemStyle: { color: 'rgba(22, 104, 184, 0.35)' },
        symbol: 'none',
      },
      {
        name: 'Sold',
        type: 'line',
        data: histVals,
        itemStyle: { color: '#16202c' },
        symbol: 'none',
        connectNulls: false,
      },
      {
        name: 'Forecast (mean)',
        type: 'line',
        data: meanVals,
        itemStyle: { color: '#1668b8' },
        lineStyle: { type: 'dashed', width: 2 },
        symbol: 'none',
      },
    ],
  };
}
