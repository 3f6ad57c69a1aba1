import type { StoreInfo } from '../../../contracts/index.ts';
import { formatMoney } from '../format.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { placeOf } from './PricebookPanel.tsx';
import { formatInstant } from './priceStatus.ts';
import { useScheduled } from './pricingApi.ts';

/** Every price change still to come, across products, soonest first. */
export function ScheduledPanel({ stores, currency }: { stores: readonly StoreInfo[]; currency: string }) {
  const scheduled = useScheduled();
  return (
    <Panel title="Scheduled price changes" testId="scheduled-panel">
      <QueryState query={scheduled} isEmpty={(s) => s.total === 0} empty="No price change is scheduled.">
        {(s) => (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th>Product</th>
                  <th>Where</th>
                  <th className="num">Price</th>
                  <th>From</th>
                </tr>
              </thead>
              <tbody>
                {s.entries.map((e) => {
                  const place = placeOf(e, stores);
                  return (
                    <tr key={e.id} data-testid="scheduled-entry">
                      <td>
                        {e.sku} · {e.productName}
                      </td>
                      <td>{e.scope === 'chain' ? 'Chain' : `${e.scope} ${e.scopeId}`}</td>
                      <td className="num">{formatMoney(e.priceMinor, currency)}</td>
                      <td>{formatInstant(e.effectiveFrom, place.locale, place.timeZone)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {s.truncated ? (
              <p className="muted">
                Showing the first {s.entries.length} of {s.total}.
              </p>
            ) : null}
          </>
        )}
      </QueryState>
    </Panel>
  );
}
