import type { BriefingAction } from '../../../contracts/index.ts';
import { formatCount, formatMoney } from '../format.ts';
import { useBriefing } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { sourceText } from '../ui/source.ts';

const KIND: Record<BriefingAction['kind'], string> = {
  stockout: 'Stock-out risk',
  overstock: 'Overstock',
  deviation: 'Off forecast',
  sync: 'Sync behind',
  customers: 'Customers',
};

/** A key like "forecast7d" or "days_of_cover" in words. */
const words = (key: string) =>
  key
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .toLowerCase();

/** Today's top five actions for the scope, each with the numbers it rests on. */
export function BriefingPanel({ store, currency }: { store: string | undefined; currency: string }) {
  const b = useBriefing(store);
  return (
    <Panel title="Morning briefing" source={b.data?.source} testId="briefing-panel" focus="briefing">
      <QueryState
        query={b}
        isEmpty={(d) => d.actions.length === 0}
        empty="Nothing needs your attention this morning."
      >
        {(d) => {
          const src = sourceText(d.source);
          return (
            <>
              {d.rephrased ? (
                <p className="briefing-text">
                  {d.text}{' '}
                  <span
                    className="badge"
                    title="Reworded by the language model; its numbers were checked against the rules' text"
                  >
                    reworded
                  </span>
                </p>
              ) : (
                <details className="briefing-text">
                  <summary>Read as text</summary>
                  {d.text}
                </details>
              )}
              <ol className="actions" data-testid="briefing-actions">
                {d.actions.map((a) => (
                  <li key={`${a.kind}-${a.link}-${a.title}`} className={`action ${a.kind}`}>
                    <span className="action-kind">{KIND[a.kind]}</span>
                    <a href={a.link} className="action-title">
                      {a.title}
                    </a>
                    <span className="muted">{a.detail}</span>
                    <span className="numbers">
                      {Object.entries(a.numbers).map(([k, v]) => (
                        <span key={k} className="chip" title={src}>
                          {words(k.replace(/Minor$/, ''))}{' '}
                          <strong>{k.endsWith('Minor') ? formatMoney(v, currency) : formatCount(v)}</strong>
                        </span>
                      ))}
                    </span>
                  </li>
                ))}
              </ol>
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
