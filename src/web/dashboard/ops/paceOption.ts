import type { PaceResponse } from '../../../contracts/index.ts';
import { formatMoney } from '../format.ts';
import type { EChartsOption } from '../ui/echarts.ts';

export type PaceMetric = 'revenue' | 'units';

/**
 * The hours the chart spans: the trading day, from the first hour anything sold on any of the three
 * days to the last (and the hour in progress), every hour between them present, zero where nothing
 * sold, so a quiet hour shows as a gap in the bars rather than vanishing from the axis. With no sale
 * at all, the whole day.
 */
export function tradingHours(pace: PaceResponse): PaceResponse['hours'] {
  const traded = pace.hours
    .filter((h) => h.today.transactions + h.lastWeek.transactions + h.lastYear.transactions > 0)
    .map((h) => h.hour);
  const now = pace.compare.through ? Number(pace.compare.through.slice(0, 2)) : undefined;
  if (now !== undefined) traded.push(now);
  if (traded.length === 0) return pace.hours;
  const first = Math.min(...traded);
  const last = Math.max(...traded);
  return pace.hours.filter((h) => h.hour >= first && h.hour <= last);
}

const hourLabel = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

/**
 * Today as bars by hour against the same weekday last week and last year as lines, so a slow morning
 * stands out at a glance. Each bar meets the same hour of the earlier days; while the day runs, a line
 * marks the time now, so the hours after it read as what the earlier days did next, not as a shortfall.
 * Revenue is plotted in minor units, as it comes, and only formatted for a label: no currency is
 * assumed to have 2 decimals.
 */
export function paceOption(pace: PaceResponse, metric: PaceMetric): EChartsOption {
  const hours = tradingHours(pace);
  const through = pace.compare.through;
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
    xAxis: { type: 'category', data: hours.map((h) => hourLabel(h.hour)) },
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
        ...(through
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#16202c', type: 'dotted' },
                label: { formatter: `now ${through}` },
                data: [{ xAxis: hourLabel(Number(through.slice(0, 2))) }],
              },
            }
          : {}),
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
