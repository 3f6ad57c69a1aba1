import type { PaceResponse, PaceTotals } from '../../../contracts/index.ts';
import { formatChange, formatCount, formatMoney } from '../format.ts';
import { sourceText } from '../ui/source.ts';
import { compareWords } from './paceWords.ts';

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

/**
 * Today's totals so far, each against the same weekday last week and last year up to the same local
 * time (the API cuts the earlier days there), the words saying which hours are compared.
 */
export function KpiTiles({ pace }: { pace: PaceResponse }) {
  const { today } = pace.totals;
  const src = sourceText(pace.source);
  return (
    <ul className="kpis" data-testid="kpi-tiles">
      {TILES.map((t) => {
        const show = (v: number) => (t.money ? formatMoney(v, pace.currency) : formatCount(v));
        return (
          <li key={t.key} className="kpi" data-testid={`kpi-${t.key}`} title={`${t.label}: ${src}`}>
            <span className="kpi-label">{t.label}</span>
            <span className="kpi-value">{show(today[t.key])}</span>
            <span className="kpi-compare">
              {(['lastWeek', 'lastYear'] as const).map((day) => {
                const base = pace.totals[day][t.key];
                const change = formatChange(today[t.key], base);
                const words = compareWords(pace, day);
                const whole = pace.compare.through ? `; whole day ${show(pace.wholeDay[day][t.key])}` : '';
                return (
                  <span
                    key={day}
                    data-testid={`kpi-${day}`}
                    title={`${pace.compare[day]}: ${show(base)}${pace.compare.through ? ` by ${pace.compare.through}` : ''}${whole}`}
                  >
                    {change ? `${change} ${words}` : `${words}: ${show(base)}`}
                  </span>
                );
              })}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
