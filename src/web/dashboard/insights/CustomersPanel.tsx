import type { CustomerSegmentsResponse } from '../../../contracts/index.ts';
import { formatCount, formatMoney } from '../format.ts';
import { useCustomerSegments, useCustomersAtRisk } from '../queries.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';

type Segment = CustomerSegmentsResponse['segments'][number];

const movement = (s: Segment): string => {
  if (s.previousCustomers === null) return '';
  const d = s.customers - s.previousCustomers;
  return d === 0
    ? 'no change'
    : `${d > 0 ? '+' : ''}${formatCount(d)} (was ${formatCount(s.previousCustomers)})`;
};

const pct = (p: number): string => `${Math.round(p * 100)}%`;

/**
 * Customers from HQ's nightly scoring: each segment's size and value with its one-sentence description
 * and the movement since the previous run, who moved where, and the customers at risk ranked by value.
 * Customers appear as short ids unless the signed-in user may see personal data over the chain.
 */
export function CustomersPanel({ store }: { store: string | undefined }) {
  const seg = useCustomerSegments(store);
  const risk = useCustomersAtRisk(store);
  return (
    <Panel title="Customers" testId="customers-panel" focus="customers" wide>
      <QueryState
        query={seg}
        isEmpty={(r) => r.run === null}
        empty="Customers have not been scored yet: HQ scores them each night (or run `tally customers refresh`)."
      >
        {(r) =>
          r.run?.status !== 'done' ? (
            <p data-testid="customers-not-enough">
              {r.run?.message ?? 'Not enough history to score customers yet.'}
            </p>
          ) : (
            <>
              <p>
                Scored as of {r.run.asOf} for the next {r.run.horizonDays} days
                {r.previous ? `; movement since ${r.previous.asOf}` : ''}.
              </p>
              <DataTable
                rows={r.segments.filter((s) => s.customers > 0 || (s.previousCustomers ?? 0) > 0)}
                rowKey={(s) => s.segment}
                caption="Customer segments: size, value and movement"
                empty="No customer scored in these stores."
                testId="customer-segments"
                columns={[
                  { label: 'Segment', cell: (s) => s.segment, title: 'what the segment means' },
                  { label: 'What it means', cell: (s) => s.description },
                  { label: 'Customers', num: true, cell: (s) => formatCount(s.customers) },
                  { label: 'Since last run', num: true, cell: movement },
                  {
                    label: `Expected ${r.run?.horizonDays ?? 90}-day spend`,
                    num: true,
                    cell: (s) => formatMoney(s.expectedSpendMinor, r.run?.currency ?? 'EUR'),
                  },
                  {
                    label: '12-month value',
                    num: true,
                    cell: (s) => formatMoney(s.clv12Minor, r.run?.currency ?? 'EUR'),
                  },
                  { label: 'Mean P(buys)', num: true, cell: (s) => pct(s.meanPActive) },
                ]}
              />
              {r.flows.length > 0 ? (
                <ul data-testid="customer-flows">
                  {r.flows.slice(0, 6).map((f) => (
                    <li key={`${f.from}>${f.to}`}>
                      {formatCount(f.customers)} moved from {f.from} to {f.to}
                    </li>
                  ))}
                </ul>
              ) : null}
              <h3>At risk, most valuable first</h3>
              <QueryState query={risk} isEmpty={(x) => x.customers.length === 0} empty="Nobody at risk.">
                {(x) => (
                  <DataTable
                    rows={x.customers}
                    rowKey={(c) => c.customerId}
                    caption="Customers at risk by value"
                    empty="Nobody at risk."
                    testId="customers-at-risk"
                    columns={[
                      { label: 'Customer', cell: (c) => (x.withNames && c.name ? c.name : c.shortCode) },
                      { label: 'Segment', cell: (c) => c.segment },
                      { label: 'P(buys)', num: true, cell: (c) => pct(c.pActive) },
                      {
                        label: 'Expected spend',
                        num: true,
                        cell: (c) => formatMoney(c.expectedSpendMinor, x.run?.currency ?? 'EUR'),
                      },
                      {
                        label: 'Last purchase',
                        cell: (c) => `${c.lastPurchaseDate ?? ''} ${c.lastStoreId ?? ''}`,
                      },
                    ]}
                  />
                )}
              </QueryState>
            </>
          )
        }
      </QueryState>
    </Panel>
  );
}
