import type { PaceResponse } from '../../../contracts/index.ts';
import { formatMoney } from '../format.ts';
import type { EChartsOption } from '../ui/echarts.ts';

export type PaceMetric = 'revenue' | 'units';

/**
 * Today as bars, cumulative-free by hour, against the same weekday last week and last year as lines,
 * so a slow morning stands out at a glance. Hours outside trading (nothing sold in any of the three
 * days) are left out. Revenue is plotted in minor units, as it comes, and only formatted for a label:
 * no currency is assumed to have 2 decimals.
 */
export function paceOption(pace: PaceResponse, metric: PaceMetric): EChartsOption {
  const traded = pace.hours.filter(
    (h) => h.today.transactions + h.lastWeek.transactions + h.lastYear.transactions > 0,
  );
  const hours = traded.length ? traded : pace.hours;
  const pick = (f: { revenueMinor: number; units: number }) =>
    metric === 'revenue' ? f.revenueMinor : f.units;
  const fmt = (v: number) =>
    metric === 'revenue' ? formatMoney(Math.round(v), pace.currency) : `${Math.round(v * 10) / 10} units`;
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 36, bottom: 28 },
    legend: {
      top: 0,
      data: [
        `Today ${pace.date}`,
        `Last week ${pace.compare.lastWeek}`,
        `Last year ${pace.compare.lastYear}`,
      ],
    },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v)),
    },
    xAxis: { type: 'category', data: hours.map((h) => `${String(h.hour).padStart(2, '0')}:00`) },
    yAxis: {
      type: 'value',
      axisLabel: {
        formatter: (v: number) =>
          metric === 'revenue' ? formatMoney(Math.round(v), pace.currency, { compact: true }) : String(v),
      },
    },
    series: [
      {
        name: `Today ${pace.date}`,
        type: 'bar',
        data: hours.map((h) => pick(h.today)),
        itemStyle: { color: '#1668b8' },
      },
      {
        name: `Last week ${pace.compare.lastWeek}`,
        type: 'line',
        data: hours.map((h) => pick(h.lastWeek)),
        itemStyle: { color: '#b45309' },
        symbolSize: 5,
      },
      {
        name: `Last year ${pace.compare.lastYear}`,
        type: 'line',
        data: hours.map((h) => pick(h.lastYear)),
        itemStyle: { color: '#6b7280' },
        lineStyle: { type: 'dashed' },
        symbolSize: 4,
      },
    ],
  };
}
