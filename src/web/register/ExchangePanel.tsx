import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Cart, ReturnableSale, ReturnResult, SaleResult } from '../../contracts/index.ts';
import { parseAmount, toMajorText } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { ProductField } from './ProductField.tsx';
import { REFUND_TO, type RefundTo, StoreCreditNotice, storeCreditMinor } from './refund-parts.tsx';
import { Slip } from './Slip.tsx';
import { Choice, FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

type PayBy = 'cash' | 'card';

/** What the return half of the exchange takes back, chosen in the Return panel. */
export interface ExchangeSelection {
  sale: ReturnableSale;
  lines: { lineNo: number; qty: number }[];
  reason: string;
  /** The value of the lines at the price paid (the till's own figure is in the answer). */
  creditMinor: number;
}

/**
 * An exchange: the lines picked from the receipt come back, the new items are scanned into a cart of
 * their own, and the till does both in one transaction. The returned value pays first; the customer
 * pays a shortfall (cash or card) or gets a surplus back (original tender, cash or store credit).
 */
export function ExchangePanel({
  selection,
  canSearch,
  onClose,
  setScanTarget,
}: {
  selection: ExchangeSelection;
  /** the till searches its catalog by name (GET /api/v1/items?q=) */
  canSearch: boolean;
  onClose(): void;
  setScanTarget(fn: ((code: string) => void) | undefined): void;
}) {
  const fmt = useFormat();
  const { sale, lines, reason, creditMinor } = selection;
  const currency = sale.currency;
  const [cart, setCart] = useState<Cart>();
  const [payBy, setPayBy] = useState<PayBy>('cash');
  const [cashText, setCashText] = useState('');
  const [refundTo, setRefundTo] = useState<RefundTo>('original');
  const [error, setError] = useState<ApiError>();
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<{ sale: SaleResult; return: ReturnResult }>();
  const codeInput = useRef<HTMLInputElement>(null);
  const doneButton = useRef<HTMLButtonElement>(null);
  const cartRef = useRef<Cart | undefined>(undefined);
  cartRef.current = cart;
  const doneRef = useRef(false);
  doneRef.current = done !== undefined;

  // Leaving without completing: the new items go back on the shelf, and the ledger says so.
  useEffect(
    () => () => {
      const c = cartRef.current;
      if (!doneRef.current && c && c.lines.length > 0)
        void api('POST', `/api/v1/carts/${c.cartId}/void`, { reason: 'exchange abandoned' }).catch(
          () => undefined,
        );
    },
    [],
  );

  /** The cart for the new items, being made: a scan that comes first waits for it rather than get lost. */
  const creating = useRef<Promise<Cart | undefined>>(undefined);
  useEffect(() => {
    let live = true;
    creating.current = api<Cart>('POST', '/api/v1/carts', {}).then(
      (c) => {
        if (live) setCart(c);
        return c;
      },
      (err: ApiError) => {
        if (live) setError(err);
        return undefined;
      },
    );
    codeInput.current?.focus();
    return () => {
      live = false;
    };
  }, []);

  const add = async (c: string) => {
    const current = cartRef.current ?? (await creating.current);
    if (!current || !c.trim()) return;
    setError(undefined);
    try {
      setCart(await api<Cart>('POST', `/api/v1/carts/${current.cartId}/lines`, { code: c.trim(), qty: 1 }));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const addRef = useRef(add);
  addRef.current = add;
  // A scan adds a new item, wherever the focus is.
  useEffect(() => {
    setScanTarget((c) => void addRef.current(c));
    return () => setScanTarget(undefined);
  }, [setScanTarget]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus "back" once the exchange is done
  useEffect(() => doneButton.current?.focus(), [done]);

  const newTotal = cart?.totals.grossMinor ?? 0;
  const due = newTotal - creditMinor;
  const cashMinor = cashText.trim() === '' ? Math.max(due, 0) : parseAmount(cashText, currency);

  const complete = async (e: FormEvent) => {
    e.preventDefault();
    if (!cart) return;
    setError(undefined);
    if (due > 0 && payBy === 'cash' && cashMinor === undefined) {
      setError(new ApiError(400, 'validation', `"${cashText}" is not an amount`, 'tenders'));
      return;
    }
    setSending(true);
    try {
      const tenders =
        due <= 0
          ? []
          : payBy === 'card'
            ? [{ kind: 'card', amountMinor: due }]
            : [{ kind: 'cash', tenderedMinor: cashMinor }];
      setDone(
        await api<{ sale: SaleResult; return: ReturnResult }>('POST', '/api/v1/exchanges', {
          receiptNo: sale.receiptNo,
          lines,
          cartId: cart.cartId,
          tenders,
          refundTo,
          reason,
        }),
      );
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setSending(false);
    }
  };

  if (done) {
    const refundedMinor = done.return.refunds
      .filter((r) => r.kind !== 'exchange')
      .reduce((s, r) => s + r.amountMinor, 0);
    return (
      <section className="panel receipt-panel" aria-label="Exchange">
        <PanelHeader title={`Exchange complete · ${done.sale.receiptNo}`} />
        <div className="change">
          <span>{refundedMinor > 0 ? 'Refunded' : 'Change'}</span>
          <output data-testid="exchange-change">
            {fmt.money(refundedMinor > 0 ? refundedMinor : done.sale.changeMinor, currency)}
          </output>
        </div>
        <StoreCreditNotice
          code={done.return.storeCreditCode}
          amountMinor={storeCreditMinor(done.return)}
          currency={currency}
        />
        <Slip
          path={`/api/v1/returns/${done.return.returnId}/receipt?format=text`}
          testId="refund-slip"
          label="Refund slip"
        />
        <Slip
          path={`/api/v1/sales/${done.sale.saleId}/receipt?format=text`}
          testId="exchange-receipt"
          label="Receipt for the new items"
        />
        <button type="button" ref={doneButton} className="btn primary" onClick={onClose}>
          Back to sale <Kbd>Enter</Kbd>
        </button>
      </section>
    );
  }

  return (
    <section className="panel exchange-panel" aria-label="Exchange">
      <PanelHeader title={`Exchange · ${sale.receiptNo}`} hint="scan the new items" onClose={onClose} />
      <div className="due">
        <span>Returned, at the price paid</span>
        <output data-testid="exchange-credit">{fmt.money(creditMinor, currency)}</output>
      </div>
      <ProductField
        id="exchange-code"
        label={canSearch ? 'New item code or name' : 'New item code'}
        currency={currency}
        canSearch={canSearch}
        onCode={(c) => void add(c)}
        inputRef={codeInput}
        className="input grow"
        error={isAbout(error, ['code', 'qty']) ? error : undefined}
        button={
          <button type="submit" className="btn">
            Add <Kbd>Enter</Kbd>
          </button>
        }
      />
      <ol className="return-lines" data-testid="exchange-lines">
        {cart?.lines.map((l) => (
          <li key={l.lineNo}>
            <span className="grow">
              <span className="name">{l.name}</span>
              <span className="sku">
                {l.qty} × {fmt.money(l.unitPriceMinor, currency)}
              </span>
            </span>
            <span>{fmt.money(l.grossMinor, currency)}</span>
          </li>
        ))}
      </ol>
      <div className="due">
        <span>New items</span>
        <output data-testid="exchange-new-total">{fmt.money(newTotal, currency)}</output>
      </div>
      <form onSubmit={complete} className="stack">
        {due > 0 ? (
          <>
            <div className="due">
              <span>Customer pays</span>
              <output data-testid="exchange-due">{fmt.money(due, currency)}</output>
            </div>
            <Choice
              legend="Pay the difference by"
              options={[
                { value: 'cash', label: 'Cash' },
                { value: 'card', label: 'Card' },
              ]}
              chosen={payBy}
              onChoose={setPayBy}
            />
            {payBy === 'cash' ? (
              <input
                id="exchange-cash"
                className="input"
                aria-label="Cash tendered"
                inputMode="decimal"
                placeholder={toMajorText(due, currency)}
                value={cashText}
                onChange={(e) => setCashText(e.target.value)}
                aria-invalid={isAbout(error, ['tenders'])}
              />
            ) : null}
          </>
        ) : (
          <>
            <div className="due">
              <span>Back to the customer</span>
              <output data-testid="exchange-due">{fmt.money(-due, currency)}</output>
            </div>
            {due < 0 ? (
              <Choice
                legend="Refund the difference to"
                options={REFUND_TO}
                chosen={refundTo}
                onChoose={setRefundTo}
              />
            ) : null}
          </>
        )}
        <FieldError error={error} fields={['tenders', 'refundTo']} />
        {error && !isAbout(error, ['code', 'qty', 'tenders', 'refundTo']) ? (
          <FieldError error={error} />
        ) : null}
        <button
          id="exchange-complete"
          type="submit"
          className="btn primary"
          disabled={!cart || cart.lines.length === 0 || sending}
        >
          Complete exchange <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}
