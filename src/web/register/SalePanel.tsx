import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Item } from '../../contracts/index.ts';
import { type ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { type Action, keyLabel, SHORTCUTS } from './shortcuts.ts';
import { FieldError, Kbd } from './ui.tsx';

/**
 * The sale's right-hand side: one field to scan, key in a code or search by name (search appears
 * when the till offers GET /api/v1/items?q=), the last item rung up, and the actions as big buttons.
 */
export function SalePanel({
  currency,
  canSearch,
  scanError,
  lastAdded,
  focusToken,
  onCode,
  onAction,
  hasLines,
  busy,
}: {
  currency: string;
  canSearch: boolean;
  scanError: ApiError | undefined;
  lastAdded: { name: string; unitPriceMinor: number; qty: number } | undefined;
  focusToken: number;
  onCode(code: string): void;
  onAction(a: Action): void;
  hasLines: boolean;
  busy: boolean;
}) {
  const fmt = useFormat();
  const [text, setText] = useState('');
  const [pick, setPick] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focusToken is the request to focus again
  useEffect(() => input.current?.focus(), [focusToken]);
  const q = text.trim();
  const searching = canSearch && q.length >= 2 && !/^\d+$/.test(q);
  const results = useQuery({
    queryKey: ['search', q],
    queryFn: () => api<Item[] | { items: Item[] }>('GET', `/api/v1/items?q=${encodeURIComponent(q)}&limit=8`),
    enabled: searching,
    staleTime: 30_000,
  });
  const items = searching ? asList(results.data) : [];
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts at its first result
  useEffect(() => setPick(0), [q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = items[pick];
    if (chosen) onCode(chosen.sku);
    else if (q) onCode(q);
    setText('');
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (items.length === 0) return;
    if (e.key === 'ArrowDown') setPick((p) => Math.min(items.length - 1, p + 1));
    else if (e.key === 'ArrowUp') setPick((p) => Math.max(0, p - 1));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const button = (action: Action, extra = '') => {
    const s = SHORTCUTS.find((x) => x.action === action)!;
    return (
      <button
        key={action}
        type="button"
        className={`btn action ${extra}`}
        onClick={() => onAction(action)}
        disabled={busy}
      >
        <span>{s.label}</span>
        <Kbd>{keyLabel(s)}</Kbd>
      </button>
    );
  };

  return (
    <section className="panel sale-panel" aria-label="Sale">
      {/* Everything but Pay scrolls here, so Pay stays on screen however long the results or the actions. */}
      <div className="panel-body">
        <form onSubmit={submit} className="scan-form">
          <label htmlFor="scan" className="label">
            Scan, key in a code{canSearch ? ' or search by name' : ''}
          </label>
          <input
            id="scan"
            ref={input}
            data-wedge="off"
            className="input huge"
            autoComplete="off"
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder={canSearch ? 'Barcode, SKU, PLU or name' : 'Barcode, SKU or PLU'}
            aria-describedby="scan-error"
            aria-invalid={!!scanError}
          />
          <FieldError error={scanError} id="scan-error" />
          {items.length > 0 ? (
            <ul className="results" aria-label="Search results">
              {items.map((it, i) => (
                <li key={it.sku}>
                  <button
                    type="button"
                    className={`result ${i === pick ? 'picked' : ''}`}
                    onClick={() => {
                      onCode(it.sku);
                      setText('');
                    }}
                  >
                    <span>
                      <span className="name">{it.name}</span>
                      <span className="sku">{it.sku}</span>
                    </span>
                    <span className="num">
                      {fmt.money(it.priceMinor, currency)}
                      {it.soldBy === 'weight' ? ' /kg' : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : searching && results.isSuccess ? (
            <p className="muted">Nothing matches “{q}”.</p>
          ) : null}
        </form>
        {lastAdded && items.length === 0 ? (
          <div className="last-added" data-testid="last-added">
            <span className="muted">Last item</span>
            <span className="name">{lastAdded.name}</span>
            <span className="num">
              {lastAdded.qty} × {fmt.money(lastAdded.unitPriceMinor, currency)}
            </span>
          </div>
        ) : null}
        <div className="actions">
          {button('qty')}
          {button('voidLine')}
          {button('price')}
          {button('discount')}
          {button('customer')}
          {button('park')}
          {button('voidSale')}
          {button('return')}
          {button('giftCard')}
          {button('drawer')}
          {button('xReport')}
        </div>
      </div>
      <button
        type="button"
        className="btn primary pay"
        onClick={() => onAction('pay')}
        disabled={busy || !hasLines}
      >
        Pay <Kbd>F9</Kbd>
      </button>
    </section>
  );
}

function asList(data: Item[] | { items: Item[] } | undefined): Item[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.items;
}
