import { type FormEvent, useState } from 'react';
import { formatTime } from '../format.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { type CustomerProfile, useCustomerSearch } from './customerApi.ts';
import { type SearchAsk, searchAsks } from './customerSearch.ts';
import type { CustomerAdminText } from './customerText.ts';

/** One box for phone, email, loyalty card or name; each person found once, opened by a button. */
export function CustomerSearchPanel({ t, onOpen }: { t: CustomerAdminText; onOpen: (id: string) => void }) {
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<{ text: string; asks: SearchAsk[] }>({ text: '', asks: [] });
  const found = useCustomerSearch(asked.asks);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked({ text: text.trim(), asks: searchAsks(text) });
  };
  return (
    <Panel title={t.searchTitle} testId="customer-search-panel" focus="search" wide>
      <form className="customer-search" onSubmit={submit} aria-label={t.searchTitle}>
        <label className="field">
          <span>{t.searchLabel}</span>
          <input
            id="customer-search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={200}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="btn primary">
          {t.search}
        </button>
      </form>
      <p className="muted">{t.searchHint}</p>
      {asked.asks.length > 0 ? (
        <QueryState query={found}>
          {(rows: CustomerProfile[]) => (
            <DataTable
              rows={rows}
              rowKey={(c) => c.customerId}
              caption={t.searchTitle}
              empty={t.noneFound(asked.text)}
              testId="customer-results"
              columns={[
                { label: t.name, cell: (c) => c.personal?.name ?? c.customerId.slice(0, 8) },
                { label: t.phone, cell: (c) => c.personal?.phone ?? '' },
                { label: t.email, cell: (c) => c.personal?.email ?? '' },
                { label: t.card, cell: (c) => c.personal?.cardNumber ?? '' },
                { label: t.registered, cell: (c) => c.registeredStoreId ?? '' },
                {
                  label: t.lastPurchase,
                  cell: (c) => (c.lastPurchaseAt ? formatTime(c.lastPurchaseAt) : ''),
                },
                {
                  label: '',
                  cell: (c) => (
                    <button type="button" className="btn small" onClick={() => onOpen(c.customerId)}>
                      {t.open}
                    </button>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      ) : null}
    </Panel>
  );
}
