import type { PromotionPerformance } from '../../../contracts/index.ts';
import { formatChange, formatCount, formatMoney } from '../format.ts';
import { usePromotionPerformance } from '../queries.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';

const limitText = (p: PromotionPerformance): string =>
  p.limitTotal === null
    ? `${formatCount(p.usedTotal)}`
    : `${formatCount(p.usedTotal)} of ${formatCount(p.limitTotal)}`;

/**
 * What each active (or recently ended) promotion did in the stores picked: uses, discount given, and
 * units of the products it discounted against the same number of days just before it started; the
 * chain-wide count against its limit, and offline uses that went past a limit.
 */
export function PromotionPerformancePanel({ store }: { store: string | undefined }) {
  const q = usePromotionPerformance(store);
  return (
    <Panel title="Promotions" testId="promotions-panel" focus="promotions" wide>
      <QueryState
        query={q}
        isEmpty={(r) => r.promotions.length === 0}
        empty="No promotion is running or ended in the last 30 days."
      >
        {(r) => (
          <>
            <DataTable
              rows={r.promotions}
              rowKey={(p) => p.promotionId}
              caption="Promotions: uses, discount and units against the days before"
              empty="No promotion to show."
              testId="promotions-table"
              columns={[
                { label: 'Promotion', cell: (p) => `${p.name}${p.active ? '' : ' (ended)'}` },
                { label: 'Days', cell: (p) => `${p.from} – ${p.to}` },
                { label: 'Uses', num: true, cell: (p) => formatCount(p.uses) },
                { label: 'Discount', num: true, cell: (p) => formatMoney(p.discountMinor, r.currency) },
                {
                  label: 'Units',
                  num: true,
                  title: 'units of the promoted products in its days',
                  cell: (p) => formatCount(p.units.during),
                },
                {
                  label: `Same days before`,
                  num: true,
                  title: 'the same number of store-local days just before it started',
                  cell: (p) =>
                    `${formatCount(p.units.before)} ${formatChange(p.units.during, p.units.before)}`,
                },
                {
                  label: 'Used (chain)',
                  num: true,
                  title: 'uses HQ counts against the limit',
                  cell: limitText,
                },
                {
                  label: 'Over limit',
                  num: true,
                  cell: (p) => (p.exceptions > 0 ? formatCount(p.exceptions) : ''),
                },
              ]}
            />
            {r.exceptions.length > 0 ? (
              <>
                <h3>Offline uses over a limit</h3>
                <DataTable
                  rows={r.exceptions}
                  rowKey={(x) => `${x.promotionId}:${x.saleId}`}
                  caption="Offline uses over a limit"
                  empty="None."
                  testId="promotion-exceptions"
                  columns={[
                    { label: 'Promotion', cell: (x) => x.promotionId },
                    { label: 'Store', cell: (x) => x.storeId ?? '' },
                    { label: 'Till', cell: (x) => x.terminalId ?? '' },
                    { label: 'Sale', cell: (x) => x.saleId },
                    { label: 'Over by', num: true, cell: (x) => formatCount(x.overBy) },
                  ]}
                />
              </>
            ) : null}
          </>
        )}
      </QueryState>
    </Panel>
  );
}
