import { useEffect, useRef, useState } from 'react';
import type { ProductFacets, ProductRow, ScopeResponse, SessionUser } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { BulkPriceDialog } from './BulkPriceDialog.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { ProductEditor } from './ProductEditor.tsx';
import { ProductTable, pageText } from './ProductTable.tsx';
import {
  PAGE_SIZE,
  type ProductFilters,
  useFacets,
  useParents,
  useProduct,
  useProducts,
} from './productApi.ts';
import './products.css';

const FILTER_KEYS = ['q', 'category', 'status', 'supplier', 'taxClass'] as const;

function Filters({
  filters,
  facets,
  onChange,
}: {
  filters: ProductFilters;
  facets: ProductFacets | undefined;
  onChange: (next: ProductFilters) => void;
}) {
  // The search box answers as the user types, but the URL (and HQ) only once they pause.
  const [q, setQ] = useState(filters.q ?? '');
  const latest = useRef({ filters, onChange });
  latest.current = { filters, onChange };
  useEffect(() => {
    if (q === (latest.current.filters.q ?? '')) return;
    // Read when it fires: a filter picked meanwhile must survive the search.
    const t = setTimeout(() => {
      const { filters: now, onChange: change } = latest.current;
      change({ ...now, q: q || undefined });
    }, 250);
    return () => clearTimeout(t);
  }, [q]);
  const select = (
    k: 'category' | 'status' | 'supplier' | 'taxClass',
    label: string,
    options: { value: string; label: string }[],
  ) => (
    <label className="field">
      <span>{label}</span>
      <select
        id={`filter-${k}`}
        value={filters[k] ?? ''}
        onChange={(e) => onChange({ ...filters, [k]: e.target.value || undefined })}
      >
        <option value="">all</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="product-filters" data-testid="product-filters">
      <label className="field search">
        <span>Search</span>
        <input
          id="product-search"
          type="search"
          placeholder="SKU, barcode or name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </label>
      {select('category', 'Category', facets?.categories ?? [])}
      {select('status', 'Status', [
        { value: 'active', label: 'active' },
        { value: 'discontinued', label: 'archived' },
      ])}
      {select(
        'supplier',
        'Supplier',
        (facets?.suppliers ?? []).map((s) => ({ value: s, label: s })),
      )}
      {select('taxClass', 'Tax class', [
        { value: 'none', label: '(none)' },
        ...(facets?.taxClasses ?? []).map((c) => ({ value: c, label: c })),
      ])}
    </div>
  );
}

/** Products: list, search and filters, create and edit, archive, bulk price change, CSV import. */
export function ProductsView({
  user,
  scope,
  route,
  go,
}: {
  user: SessionUser;
  scope: ScopeResponse;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  const filters: ProductFilters = Object.fromEntries(FILTER_KEYS.map((k) => [k, route.params[k]]));
  const offset = Math.max(0, Number(route.params.offset ?? 0) || 0);
  const setFilters = (next: ProductFilters) =>
    go({
      params: {
        ...Object.fromEntries(Object.entries(next).filter(([, v]) => v)),
        ...(route.params.sku ? { sku: route.params.sku } : {}),
      } as Record<string, string>,
    });
  const list = useProducts(filters, offset);
  const facets = useFacets();
  const parents = useParents();
  const [editing, setEditing] = useState<'new' | string | undefined>(route.params.sku);
  const detail = useProduct(editing === 'new' ? undefined : editing);
  const [bulk, setBulk] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const mayPrice = user.permissions.edit_prices !== undefined;
  const editorRow: ProductRow | undefined = editing !== 'new' ? detail.data : undefined;
  const page = (to: number) => go({ params: { ...route.params, offset: String(to) } });

  return (
    <div className="grid" data-testid="products-view">
      <Panel
        title="Products"
        wide
        testId="products-panel"
        actions={
          <>
            <button type="button" className="btn small primary" onClick={() => setEditing('new')}>
              New product
            </button>
            {mayPrice ? (
              <button type="button" className="btn small" onClick={() => setBulk(true)}>
                Change prices
              </button>
            ) : null}
          </>
        }
      >
        <Filters filters={filters} facets={facets.data} onChange={setFilters} />
        {bulk ? (
          <BulkPriceDialog
            filters={filters}
            currency={scope.currency}
            stores={scope.stores}
            onClose={() => setBulk(false)}
          />
        ) : null}
        {editing !== undefined && facets.data && parents.data && (editing === 'new' || editorRow) ? (
          <ProductEditor
            key={editing === 'new' ? 'new' : `${editorRow?.sku}`}
            product={editorRow}
            currency={scope.currency}
            facets={facets.data}
            parents={parents.data}
            onSaved={(row) => setEditing(row.sku)}
            onClose={() => setEditing(undefined)}
          />
        ) : null}
        <QueryState query={list}>
          {(data) => (
            <>
              <ProductTable page={data} currency={scope.currency} onOpen={(r) => setEditing(r.sku)} />
              <nav className="pager" aria-label="Pages">
                <span data-testid="page-text">{pageText({ ...data, shown: data.products.length })}</span>
                <button
                  type="button"
                  className="btn small ghost"
                  disabled={offset === 0}
                  onClick={() => page(Math.max(0, offset - PAGE_SIZE))}
                >
                  Previous
                </button>
                <button
                  type="button"
                  className="btn small ghost"
                  disabled={!data.truncated}
                  onClick={() => page(offset + PAGE_SIZE)}
                >
                  Next
                </button>
              </nav>
            </>
          )}
        </QueryState>
      </Panel>
      <Panel title="Import" wide testId="import-section">
        <button
          type="button"
          className="btn small ghost"
          aria-expanded={importOpen}
          onClick={() => setImportOpen((o) => !o)}
        >
          {importOpen ? '▾' : '▸'} Import from Shopify/Square/Lightspeed
        </button>
        {importOpen ? <ImportPanel /> : null}
      </Panel>
    </div>
  );
}
