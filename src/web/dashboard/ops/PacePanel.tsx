import { useMemo, useState } from 'react';
import { usePace } from '../queries.ts';
import { Chart } from '../ui/Chart.tsx';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { KpiTiles } from './KpiTiles.tsx';
import { type PaceMetric, paceOption, tradingHours } from './paceOption.ts';

/** Marks the first paint of pace + tiles once per page load, for bench/dashboard-paint.ts. */
function markPainted() {
  if (performance.getEntriesByName('tally:ops-painted').length === 0) performance.mark('tally:ops-painted');
}

/** The chart's hours in words, for its label: "every hour from 06:00 to 20:00 (15 hours)". */
function hoursSpan(p: Parameters<typeof tradingHours>[0]): string {
  const hours = tradingHours(p);
  const hh = (h: number | undefined) => `${String(h ?? 0).padStart(2, '0')}:00`;
  return `every hour from ${hh(hours[0]?.hour)} to ${hh(hours.at(-1)?.hour)} (${hours.length} hours)`;
}

export function PacePanel({ store, storeName }: { store: string | undefined; storeName: string }) {
  const pace = usePace(store);
  const [metric, setMetric] = useState<PaceMetric>('revenue');
  const option = useMemo(() => (pace.data ? paceOption(pace.data, metric) : undefined), [pace.data, metric]);
  return (
    <Panel
      title={`Sales pace today · ${storeName}`}
      source={pace.data?.source}
      testId="pace-panel"
      focus="pace"
      wide
      actions={
        <fieldset className="segmented">
          <legend className="sr-only">Measure</legend>
          {(['revenue', 'units'] as const).map((m) => (
            <button
              key={m}
              type="button"
              className={metric === m ? 'on' : ''}
              aria-pressed={metric === m}
              onClick={() => setMetric(m)}
            >
              {m === 'revenue' ? 'Revenue' : 'Units'}
            </button>
          ))}
        </fieldset>
      }
    >
      <QueryState
        query={pace}
        isEmpty={(p) =>
          p.hours.every((h) => h.today.transactions + h.lastWeek.transactions + h.lastYear.transactions === 0)
        }
        empty="No sales recorded today, last week or last year for this scope yet."
      >
        {(p) => (
          <>
            <KpiTiles pace={p} />
            {option ? (
              <Chart
                option={option}
                label={`Sales by hour on ${p.date} against ${p.compare.lastWeek} and ${p.compare.lastYear}, ${hoursSpan(p)}`}
                testId="pace-chart"
                onRendered={markPainted}
              />
            ) : null}
          </>
        )}
      </QueryState>
    </Panel>
  );
}
