import type { PaceResponse, PaceTotals } from '../../../contracts/index.ts';
import { formatChange, formatCount, formatMoney } from '../format.ts';
import { sourceText } from '../ui/source.ts';

interface Tile {
  key: keyof PaceTotals;
  label: string;
  money: boolean;
}

const TILES: Tile[] = [
  { key: 'revenueMinor', label: 'Revenue', money: true },
  { key: 'units', label: 'Units', money: false },
  { key: 'transactions', label: 'Transactions', money: false },
  { key: 'avgBasketMinor', label: 'Average basket', money: true },
  { key: 'marginMinor', label: 'Margin', money: true },
];

/** Today's totals so far, each against the same weekday last week and last year. */
export function KpiTiles({ pace }: { pace: PaceResponse }) {
  const { today, lastWeek, lastYear } = pace.totals;
  const src = sourceText(pace.source);
  return (
    <ul className="kpis" data-testid="kpi-tiles">
      {TILES.map((t) => {
        const show = (v: number) => (t.money ? formatMoney(v, pace.currency) : formatCount(v));
        const wk = formatChange(today[t.key], lastWeek[t.key]);
        const yr = formatChange(today[t.key], lastYear[t.key]);
        return (
          <li key={t.key} className="kpi" data-testid={`kpi-${t.key}`} title={`${t.label}: ${src}`}>
            <span className="kpi-label">{t.label}</span>
            <span className="kpi-value">{show(today[t.key])}</span>
            <span className="kpi-compare">
              <span title={`Last week (${pace.compare.lastWeek}): ${show(lastWeek[t.key])}`}>
                {wk ? `${wk} vs last week` : `last week ${show(lastWeek[t.key])}`}
              </span>
              <span title={`Last year (${pace.compare.lastYear}): ${show(lastYear[t.key])}`}>
                {yr ? `${yr} vs last year` : `last year ${show(lastYear[t.key])}`}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
