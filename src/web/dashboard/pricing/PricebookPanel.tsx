import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type StoreInfo, storeLocale } from '../../../contracts/index.ts';
import { ApiError, call } from '../api.ts';
import { formatMoney } from '../format.ts';
import { Panel } from '../ui/Panel.tsx';
import { FieldError, QueryState } from '../ui/QueryState.tsx';
import { parseAmountText } from './amountText.ts';
import { formatInstant, groupEntries, userLocale, userZone, wallTimeToInstant } from './priceStatus.ts';
import {
  PRICING_PATHS,
  type PriceEntry,
  type ProductHit,
  priceEndPath,
  priceEntryPath,
  searchProducts,
  useProductPrices,
  useZones,
} from './pricingApi.ts';

/** A product's pricebook: its entries per chain, zone and store; add one, end or cancel one. */
export function PricebookPanel({ stores, currency }: { stores: readonly StoreInfo[]; currency: string }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<ProductHit[] | undefined>();
  const [sku, setSku] = useState<string | undefined>();
  const search = async (e: FormEvent) => {
    e.preventDefault();
    const found = await searchProducts(q, stores[0]?.storeId);
    setHits(found);
    if (found.length === 1) setSku(found[0]?.sku);
  };
  return (
    <Panel title="Pricebook" wide testId="pricebook-panel">
      <form className="people-form inline" onSubmit={search} aria-label="Find a product">
        <label className="field">
          <span>Product (SKU or name)</span>
          <input id="price-search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit" className="btn small">
          Find
        </button>
      </form>
      {hits && hits.length === 0 ? <p className="state empty">No product matches “{q}”.</p> : null}
      {hits && hits.length > 1 ? (
        <ul className="hits">
          {hits.map((h) => (
            <li key={h.sku}>
              <button type="button" className="btn ghost small" onClick={() => setSku(h.sku)}>
                {h.sku} · {h.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {sku ? <ProductPrices sku={sku} stores={stores} currency={currency} /> : null}
    </Panel>
  );
}

function scopeName(e: { scope: string; scopeId: string }, stores: readonly StoreInfo[]): string {
  if (e.scope === 'chain') return 'Whole chain';
  if (e.scope === 'zone') return `Zone ${e.scopeId}`;
  const s = stores.find((x) => x.storeId === e.scopeId);
  return `Store ${e.scopeId}${s ? ` · ${s.name}` : ''}`;
}

/** Dates of a store's entries in the store's locale and zone; the chain's and zones' in the user's. */
export function placeOf(e: { scope: string; scopeId: string }, stores: readonly StoreInfo[]) {
  const s = e.scope === 'store' ? stores.find((x) => x.storeId === e.scopeId) : undefined;
  return s
    ? { locale: storeLocale(s), timeZone: s.timeZone }
    : { locale: userLocale(), timeZone: userZone() };
}

function ProductPrices({
  sku,
  stores,
  currency,
}: {
  sku: string;
  stores: readonly StoreInfo[];
  currency: string;
}) {
  const prices = useProductPrices(sku);
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['pricing'] });
  const act = useMutation<unknown, ApiError, { entry: PriceEntry; how: 'end' | 'cancel' }>({
    mutationFn: ({ entry, how }) =>
      how === 'end' ? call('POST', priceEndPath(entry.id), {}) : call('DELETE', priceEntryPath(entry.id)),
    onSuccess: refresh,
  });
  return (
    <div data-testid="product-prices" data-sku={sku}>
      <h3>{sku}</h3>
      <QueryState
        query={prices}
        isEmpty={(p) => p.length === 0}
        empty="No pricebook entries: the list price applies."
      >
        {(list) => (
          <table className="table">
            <thead>
              <tr>
                <th>Where</th>
                <th className="num">Price</th>
                <th>From</th>
                <th>Until</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {groupEntries(list, new Date()).flatMap((g) =>
                g.entries.map(({ entry, status }) => {
                  const place = placeOf(entry, stores);
                  return (
                    <tr
                      key={entry.id}
                      data-testid="price-entry"
                      data-status={status}
                      data-scope={`${entry.scope}:${entry.scopeId}`}
                    >
                      <td>{scopeName(entry, stores)}</td>
                      <td className="num">{formatMoney(entry.priceMinor, currency)}</td>
                      <td>{formatInstant(entry.effectiveFrom, place.locale, place.timeZone)}</td>
                      <td>{formatInstant(entry.effectiveTo, place.locale, place.timeZone)}</td>
                      <td>{status}</td>
                      <td>
                        {status === 'in force' ? (
                          <button
                            type="button"
                            className="btn small ghost"
                            onClick={() => act.mutate({ entry, how: 'end' })}
                          >
                            End now
                          </button>
                        ) : status === 'scheduled' ? (
                          <button
                            type="button"
                            className="btn small ghost"
                            onClick={() => act.mutate({ entry, how: 'cancel' })}
                          >
                            Cancel
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        )}
      </QueryState>
      <FieldError error={act.error} />
      <AddPriceForm sku={sku} stores={stores} currency={currency} onSaved={refresh} />
    </div>
  );
}

function AddPriceForm({
  sku,
  stores,
  currency,
  onSaved,
}: {
  sku: string;
  stores: readonly StoreInfo[];
  currency: string;
  onSaved: () => void;
}) {
  const zones = useZones();
  const [scope, setScope] = useState<'chain' | 'zone' | 'store'>('store');
  const [scopeId, setScopeId] = useState('');
  const [price, setPrice] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [local, setLocal] = useState<ApiError | undefined>();
  const zone =
    scope === 'store' ? (stores.find((s) => s.storeId === scopeId)?.timeZone ?? userZone()) : userZone();
  const add = useMutation<unknown, ApiError, object>({
    mutationFn: (body) => call('POST', PRICING_PATHS.prices, body),
    onSuccess: () => {
      setPrice('');
      setFrom('');
      setTo('');
      onSaved();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const minor = parseAmountText(price, currency);
    const fromAt = from ? wallTimeToInstant(from, zone) : undefined;
    const toAt = to ? wallTimeToInstant(to, zone) : undefined;
    const bad =
      minor === undefined
        ? new ApiError(400, 'invalid', `"${price}" is not an amount in ${currency}`, 'priceMinor')
        : from && !fromAt
          ? new ApiError(400, 'invalid', 'a date and time', 'effectiveFrom')
          : to && !toAt
            ? new ApiError(400, 'invalid', 'a date and time', 'effectiveTo')
            : undefined;
    setLocal(bad);
    if (bad) return;
    add.mutate({
      sku,
      scope,
      ...(scope === 'chain' ? {} : { scopeId }),
      priceMinor: minor,
      ...(fromAt ? { effectiveFrom: fromAt } : {}),
      ...(toAt ? { effectiveTo: toAt } : {}),
    });
  };
  const err = local ?? add.error ?? undefined;
  const at = (f: string) => (err?.field === f ? err : undefined);
  const placed = ['scope', 'scopeId', 'priceMinor', 'effectiveFrom', 'effectiveTo'];
  return (
    <form className="people-form" onSubmit={submit} aria-label="Add a price" data-testid="add-price">
      <h3>Add a price</h3>
      <div className="people-fields">
        <label className="field">
          <span>Scope</span>
          <select id="price-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
            <option value="chain">Whole chain</option>
            <option value="zone">Zone</option>
            <option value="store">Store</option>
          </select>
          <FieldError error={at('scope')} />
        </label>
        {scope !== 'chain' ? (
          <label className="field">
            <span>{scope === 'zone' ? 'Zone' : 'Store'}</span>
            <select id="price-scope-id" value={scopeId} onChange={(e) => setScopeId(e.target.value)}>
              <option value="">Choose…</option>
              {scope === 'zone'
                ? (zones.data ?? []).map((z) => (
                    <option key={z.id} value={z.id}>
                      {z.id} · {z.name}
                    </option>
                  ))
                : stores.map((s) => (
                    <option key={s.storeId} value={s.storeId}>
                      {s.storeId} · {s.name}
                    </option>
                  ))}
            </select>
            <FieldError error={at('scopeId')} />
          </label>
        ) : null}
        <label className="field">
          <span>Price ({currency})</span>
          <input
            id="price-amount"
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
          />
          <FieldError error={at('priceMinor')} />
        </label>
        <label className="field">
          <span>From (empty: now; {zone})</span>
          <input
            id="price-from"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <FieldError error={at('effectiveFrom')} />
        </label>
        <label className="field">
          <span>Until (optional)</span>
          <input id="price-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          <FieldError error={at('effectiveTo')} />
        </label>
      </div>
      {err && !placed.includes(err.field ?? '') ? <FieldError error={err} /> : null}
      <button type="submit" className="btn small primary" disabled={add.isPending}>
        {add.isPending ? 'Saving…' : 'Add price'}
      </button>
    </form>
  );
}
