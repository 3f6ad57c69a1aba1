import { useState } from 'react';
import type { InventoryResponse } from '../../../contracts/index.ts';
import { formatCount, formatMoney } from '../format.ts';
import { useInventory } from '../queries.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { sourceText } from '../ui/source.ts';
import { atRiskColumns, deadColumns, negativeColumns, slowColumns } from './stockColumns.tsx';

type Tab = 'atRisk' | 'slowMovers' | 'deadStock' | 'negative';
const TABS: { id: Tab; label: string; empty: string }[] = [
  { id: 'atRisk', label: 'At risk this week', empty: 'No product is expected to run out this week.' },
  { id: 'slowMovers', label: 'Slow movers', empty: 'No slow movers.' },
  { id: 'deadStock', label: 'Dead stock', empty: 'No dead stock.' },
  { id: 'negative', label: 'Negative stock', empty: 'No negative stock: every count is at or above zero.' },
];

function Table({ inv, tab }: { inv: InventoryResponse; tab: Tab }) {
  const src = sourceText(inv.source);
  const empty = TABS.find((t) => t.id === tab)?.empty ?? '';
  const key = (r: { storeId: string; sku: string }) => `${r.storeId}/${r.sku}`;
  const common = { rowKey: key, empty, testId: `inventory-${tab}`, caption: tab };
  switch (tab) {
    case 'atRisk':
      return <DataTable {...common} rows={inv.atRisk} columns={atRiskColumns(src)} />;
    case 'slowMovers':
      return <DataTable {...common} rows={inv.slowMovers} columns={slowColumns(src, inv.currency)} />;
    case 'deadStock':
      return <DataTable {...common} rows={inv.deadStock} columns={deadColumns(src, inv.currency)} />;
    case 'negative':
      return <DataTable {...common} rows={inv.negative} columns={negativeColumns(src)} />;
  }
}

/**
 * Stock that needs a look: one list at a time, each tab giving the list's true length (the API sends
 * the first 50 rows and says when there are more); every row opens the product.
 */
export function InventoryPanel({ store }: { store: string | undefined }) {
  const inv = useInventory(store);
  const [tab, setTab] = useState<Tab>('atRisk');
  return (
    <Panel
      title="Inventory health"
      source={inv.data?.source}
      testId="inventory-panel"
      focus="inventory"
      actions={
        inv.data ? (
          <span className="figure" title={sourceText(inv.data.source)} data-testid="value-at-cost">
            Value at cost <strong>{formatMoney(inv.data.valueAtCostMinor, inv.data.currency)}</strong>
          </span>
        ) : null
      }
    >
      <QueryState query={inv}>
        {(data) => (
          <>
            <div className="subtabs" role="tablist" aria-label="Inventory lists">
              {TABS.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="tab"
                  aria-selected={tab === t.id}
                  className={tab === t.id ? 'on' : ''}
                  onClick={() => setTab(t.id)}
                >
                  {t.label} <span className="count">{formatCount(data.counts[t.id].total)}</span>
                </button>
              ))}
            </div>
            <div role="tabpanel">
              {data.counts[tab].truncated ? (
                <p className="muted" data-testid="inventory-truncated">
                  Showing {formatCount(data[tab].length)} of {formatCount(data.counts[tab].total)}, the most
                  urgent first.
                </p>
              ) : null}
              <Table inv={data} tab={tab} />
            </div>
          </>
        )}
      </QueryState>
    </Panel>
  );
}
