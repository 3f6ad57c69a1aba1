import { useEffect, useRef } from 'react';
import type { ApiError } from './api.ts';
import { useFormat } from './format-context.tsx';
import { ProductField } from './ProductField.tsx';
import { type Action, keyLabel, SHORTCUTS } from './shortcuts.ts';
import { Kbd } from './ui.tsx';

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
  const input = useRef<HTMLInputElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focusToken is the request to focus again
  useEffect(() => input.current?.focus(), [focusToken]);

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
        <label htmlFor="scan" className="label">
          Scan, key in a code{canSearch ? ' or type a name and press Enter' : ''}
        </label>
        <ProductField
          id="scan"
          label={canSearch ? 'Scan, code or name' : 'Scan or code'}
          currency={currency}
          canSearch={canSearch}
          onCode={onCode}
          inputRef={input}
          className="input huge"
          error={scanError}
          errorId="scan-error"
          wedgeOff
        />
        {lastAdded ? (
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
