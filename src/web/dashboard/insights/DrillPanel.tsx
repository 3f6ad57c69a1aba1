import { useState } from 'react';
import type { DrillQuery, DrillRow } from '../../../contracts/index.ts';
import { formatCount, formatMoney } from '../format.ts';
import { useDrill } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { sourceText } from '../ui/source.ts';
import type { ForecastTarget } from './ForecastPanel.tsx';

/**
 * Chain → store → category → SKU: each row opens the level below; a category or a SKU also opens its
 * forecast. Starts at the store picked in the header (or the chain).
 */
export function DrillPanel({
  store,
  onForecast,
}: {
  store: string | undefined;
  onForecast: (t: ForecastTarget) => void;
}) {
  const [at, setAt] = useState<DrillQuery>({ store });
  const [forStore, setForStore] = useState(store);
  if (forStore !== store) {
    // The header's store changed: start again from it.
    setForStore(store);
    setAt({ store });
  }
  const drill = useDrill(at.store, at.category);
  const open = (r: DrillRow) => {
    if (r.next) setAt(r.next);
    else onForecast({ store: at.store, sku: r.id });
  };
  return (
    <Panel title="Drill down" source={drill.data?.source} testId="drill-panel" focus="drill">
      <QueryState query={drill}>
        {(d) => {
          const src = sourceText(d.source);
          return (
            <>
              <nav className="crumbs" aria-label="Drill-down level">
                {d.path.map((p, i) => (
                  <span key={`${p.level}-${p.id}`}>
                    {i > 0 ? <span aria-hidden="true"> › </span> : null}
                    {i < d.path.length - 1 ? (
                      <button type="button" className="link" onClick={() => setAt(p.query)}>
                        {p.name}
                      </button>
                    ) : (
                      <strong aria-current="location">{p.name}</strong>
                    )}
                  </span>
                ))}
              </nav>
              {d.rows.length === 0 ? (
                <p className="state empty">No sales in the 28 days to {d.through} at this level.</p>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="drill-table">
                    <caption className="sr-only">Sales in the 7 and 28 days to {d.through}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{d.rows[0]?.level ?? ''}</th>
                        <th scope="col" className="num">
                          Units 7 d
                        </th>
                        <th scope="col" className="num">
                          Revenue 7 d
                        </th>
                        <th scope="col" className="num">
                          Units 28 d
                        </th>
                        <th scope="col" className="num">
                          Revenue 28 d
                        </th>
                        <th scope="col">
                          <span className="sr-only">Forecast</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.rows.map((r) => (
                        <tr key={`${r.level}-${r.id}`} data-testid="drill-row" data-level={r.level}>
                          <td>
                            <button type="button" className="link" onClick={() => open(r)}>
                              {r.name}
                            </button>
                            {r.id !== r.name ? <span className="muted"> {r.id}</span> : null}
                          </td>
                          <td className="num" title={src}>
                            {formatCount(r.units7d)}
                          </td>
                          <td className="num" title={src}>
                            {formatMoney(r.revenue7dMinor, d.currency)}
                          </td>
                          <td className="num" title={src}>
                            {formatCount(r.units28d)}
                          </td>
                          <td className="num" title={src}>
                            {formatMoney(r.revenue28dMinor, d.currency)}
                          </td>
                          <td>
                            {r.level === 'category' || r.level === 'sku' ? (
                              <button
                                type="button"
                                className="btn small ghost"
                                onClick={() =>
                                  onForecast(
                                    r.level === 'sku'
                                      ? { store: at.store, sku: r.id }
                                      : { store: at.store, category: r.id },
                                  )
                                }
                              >
                                Forecast
                              </button>
                            ) : null}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
