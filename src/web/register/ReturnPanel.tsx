import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ReturnableSale, ReturnResult } from '../../contracts/index.ts';
import { ApiError, api } from './api.ts';
import { ExchangePanel, type ExchangeSelection } from './ExchangePanel.tsx';
import { useFormat } from './format-context.tsx';
import { ProductField } from './ProductField.tsx';
import { REFUND_TO, type RefundTo, StoreCreditNotice, storeCreditMinor } from './refund-parts.tsx';
import { Slip } from './Slip.tsx';
import { ReasonField } from './SmallPanels.tsx';
import { Choice, FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

const REASONS = ['Faulty', 'Changed mind', 'Wrong size', 'Damaged'];

/**
 * A return against a receipt: scan the receipt's barcode (or type its number), pick how many of each
 * line come back, a reason, and where the money goes. The till refunds at the price actually paid.
 */
export function ReturnPanel({
  onClose,
  setScanTarget,
  noReceipt,
  currency,
  canSearch,
}: {
  currency: string;
  /** the till searches its catalog by name (GET /api/v1/items?q=) */
  canSearch: boolean;
  onClose(): void;
  setScanTarget(fn: ((code: string) => void) | undefined): void;
  /** the till takes returns without a receipt (store credit, a manager approves) */
  noReceipt: boolean;
}) {
  const [withoutReceipt, setWithoutReceipt] = useState(false);
  const [exchange, setExchange] = useState<ExchangeSelection>();
  if (exchange)
    return (
      <ExchangePanel
        selection={exchange}
        canSearch={canSearch}
        onClose={onClose}
        setScanTarget={setScanTarget}
      />
    );
  if (withoutReceipt)
    return (
      <NoReceiptReturn
        currency={currency}
        canSearch={canSearch}
        onClose={onClose}
        setScanTarget={setScanTarget}
      />
    );
  return (
    <ReceiptReturn
      onClose={onClose}
      setScanTarget={setScanTarget}
      onNoReceipt={noReceipt ? () => setWithoutReceipt(true) : undefined}
      onExchange={setExchange}
    />
  );
}

function ReceiptReturn({
  onClose,
  setScanTarget,
  onNoReceipt,
  onExchange,
}: {
  onClose(): void;
  setScanTarget(fn: ((code: string) => void) | undefined): void;
  onNoReceipt: (() => void) | undefined;
  /** Take the chosen lines back against new items instead of refunding them. */
  onExchange(selection: ExchangeSelection): void;
}) {
  const fmt = useFormat();
  const [receiptNo, setReceiptNo] = useState('');
  const [sale, setSale] = useState<ReturnableSale>();
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState('');
  const [refundTo, setRefundTo] = useState<RefundTo>('original');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<ReturnResult>();
  const [sending, setSending] = useState(false);
  /** line numbers in the order sent, so an error on lines.<i> finds its line */
  const [sent, setSent] = useState<number[]>([]);
  const receiptInput = useRef<HTMLInputElement>(null);
  const doneButton = useRef<HTMLButtonElement>(null);

  const find = async (no: string) => {
    setError(undefined);
    setSale(undefined);
    setQty({});
    setDone(undefined);
    setReceiptNo(no);
    try {
      const s = await api<ReturnableSale>('GET', `/api/v1/sales/by-receipt/${encodeURIComponent(no.trim())}`);
      setSale(s);
    } catch (err) {
      const e = err as ApiError;
      setError(e.field ? e : Object.assign(e, { field: 'receiptNo' }));
    }
  };

  // A scanned receipt barcode looks the sale up, wherever the focus is.
  const findRef = useRef(find);
  findRef.current = find;
  useEffect(() => {
    setScanTarget((code) => void findRef.current(code));
    return () => setScanTarget(undefined);
  }, [setScanTarget]);
  useEffect(() => receiptInput.current?.focus(), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus "back" once the return is done
  useEffect(() => doneButton.current?.focus(), [done]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!sale) return;
    setSending(true);
    setError(undefined);
    try {
      const lines = sale.lines.flatMap((l) =>
        qty[l.lineNo] ? [{ lineNo: l.lineNo, qty: qty[l.lineNo] }] : [],
      );
      setSent(lines.map((l) => l.lineNo));
      setDone(
        await api<ReturnResult>('POST', '/api/v1/returns', {
          receiptNo: sale.receiptNo,
          lines,
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

  const currency = sale?.currency ?? 'EUR';
  const estimate = sale
    ? sale.lines.reduce((s, l) => s + Math.round((l.grossMinor * (qty[l.lineNo] ?? 0)) / l.qty), 0)
    : 0;
  const chosen = Object.values(qty).some((n) => n > 0);

  if (done) {
    return (
      <section className="panel" aria-label="Return">
        <PanelHeader title="Return done" />
        <div className="change">
          <span>Refunded</span>
          <output data-testid="refund-total">{fmt.money(done.refundMinor, currency)}</output>
        </div>
        <ul className="plain">
          {done.refunds.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: refunds have no id of their own
            <li key={i}>
              {r.kind === 'card' ? `Card ${r.maskedPan ?? ''}` : r.kind.replace('_', ' ')}:{' '}
              {fmt.money(r.amountMinor, currency)}
            </li>
          ))}
        </ul>
        {done.failedRefunds?.length ? (
          <p className="warning">
            {done.failedRefunds.map((f) => `Card ${f.maskedPan} could not be refunded`).join('; ')}: paid back
            as listed above.
          </p>
        ) : null}
        <StoreCreditNotice
          code={done.storeCreditCode}
          amountMinor={storeCreditMinor(done)}
          currency={currency}
        />
        <Slip
          path={`/api/v1/returns/${done.returnId}/receipt?format=text`}
          testId="refund-slip"
          label="Refund slip"
        />
        <button type="button" ref={doneButton} className="btn primary" onClick={onClose}>
          Back to sale <Kbd>Enter</Kbd>
        </button>
      </section>
    );
  }

  return (
    <section className="panel return-panel" aria-label="Return">
      <PanelHeader title="Return" hint="scan the receipt barcode" onClose={onClose} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void find(receiptNo);
        }}
      >
        <div className="grow stack">
          <label htmlFor="receipt-no" className="label">
            Receipt number
          </label>
          <input
            id="receipt-no"
            ref={receiptInput}
            className="input"
            autoComplete="off"
            value={receiptNo}
            onChange={(e) => setReceiptNo(e.target.value)}
            aria-invalid={isAbout(error, ['receiptNo', 'saleId'])}
          />
        </div>
        <button type="submit" className="btn align-end">
          Find <Kbd>Enter</Kbd>
        </button>
      </form>
      <FieldError error={error} fields={['receiptNo', 'saleId']} />
      {!sale && onNoReceipt ? (
        <button type="button" className="btn" onClick={onNoReceipt}>
          No receipt
        </button>
      ) : null}
      {sale ? (
        <form onSubmit={submit} className="stack">
          <p className="muted">
            Sold {fmt.wallDateTime(sale.occurredAt)} · {fmt.money(sale.grossMinor, currency)}
          </p>
          <ol className="return-lines">
            {sale.lines.map((l) => (
              <li key={l.lineNo}>
                <span className="grow">
                  <span className="name">{l.name}</span>
                  <span className="sku">
                    {l.qty} sold at {fmt.money(l.grossMinor, currency)}
                    {l.returnedQty ? ` · ${l.returnedQty} returned already` : ''}
                  </span>
                </span>
                <span className="stepper">
                  <button
                    type="button"
                    className="btn small"
                    aria-label={`Return one less ${l.name}`}
                    onClick={() => setQty((q) => ({ ...q, [l.lineNo]: Math.max(0, (q[l.lineNo] ?? 0) - 1) }))}
                  >
                    −
                  </button>
                  <input
                    className="input qty-input"
                    aria-label={`Units of ${l.name} to return`}
                    inputMode="numeric"
                    value={qty[l.lineNo] ?? 0}
                    onChange={(e) => setQty((q) => ({ ...q, [l.lineNo]: Number(e.target.value) || 0 }))}
                  />
                  <button
                    type="button"
                    className="btn small"
                    aria-label={`Return one more ${l.name}`}
                    onClick={() => setQty((q) => ({ ...q, [l.lineNo]: (q[l.lineNo] ?? 0) + 1 }))}
                  >
                    +
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => setQty((q) => ({ ...q, [l.lineNo]: l.returnableQty }))}
                  >
                    All
                  </button>
                </span>
                {sent.includes(l.lineNo) ? (
                  <FieldError error={error} fields={[`lines.${sent.indexOf(l.lineNo)}`]} />
                ) : null}
              </li>
            ))}
          </ol>
          {error?.field === 'lines' ? <FieldError error={error} /> : null}
          <span className="label">Reason</span>
          <div className="chips">
            {REASONS.map((r) => (
              <button
                key={r}
                type="button"
                className={`btn chip ${reason === r ? 'chosen' : ''}`}
                onClick={() => setReason(r)}
              >
                {r}
              </button>
            ))}
          </div>
          <input
            className="input"
            aria-label="Return reason"
            placeholder="or type a reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <FieldError error={error} fields={['reason']} />
          <Choice legend="Refund to" options={REFUND_TO} chosen={refundTo} onChoose={setRefundTo} />
          <FieldError error={error} fields={['refundTo']} />
          {error && !isAbout(error, ['receiptNo', 'saleId', 'lines', 'reason', 'refundTo']) ? (
            <FieldError error={error} />
          ) : null}
          <button type="submit" className="btn primary" disabled={!chosen || sending}>
            Refund about {fmt.money(estimate, currency)} <Kbd>Enter</Kbd>
          </button>
          <button
            id="return-exchange"
            type="button"
            className="btn"
            disabled={!chosen || sending}
            onClick={() => {
              if (!reason.trim()) {
                setError(
                  new ApiError(
                    400,
                    'validation',
                    'reason: a reason is required and must not be empty',
                    'reason',
                  ),
                );
                return;
              }
              onExchange({
                sale,
                lines: sale.lines.flatMap((l) =>
                  qty[l.lineNo] ? [{ lineNo: l.lineNo, qty: qty[l.lineNo]! }] : [],
                ),
                reason,
                creditMinor: estimate,
              });
            }}
          >
            Exchange for new items
          </button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * A return without a receipt: scan the items, give a reason; the till refunds store credit at the
 * lowest recent price under its policy, and asks for a manager by default.
 */
function NoReceiptReturn({
  currency,
  canSearch,
  onClose,
  setScanTarget,
}: {
  currency: string;
  canSearch: boolean;
  onClose(): void;
  setScanTarget(fn: ((code: string) => void) | undefined): void;
}) {
  const fmt = useFormat();
  const [items, setItems] = useState<{ code: string; qty: number }[]>([]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<ReturnResult>();
  const add = (c: string) => {
    const trimmed = c.trim();
    if (!trimmed) return;
    setItems((list) => {
      const at = list.findIndex((x) => x.code === trimmed);
      if (at < 0) return [...list, { code: trimmed, qty: 1 }];
      return list.map((x, i) => (i === at ? { ...x, qty: x.qty + 1 } : x));
    });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: add only uses state setters
  useEffect(() => {
    setScanTarget((c) => add(c));
    return () => setScanTarget(undefined);
  }, [setScanTarget]);
  const submit = async () => {
    setError(undefined);
    try {
      setDone(await api<ReturnResult>('POST', '/api/v1/returns/without-receipt', { lines: items, reason }));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  if (done) {
    return (
      <section className="panel" aria-label="Return without receipt">
        <PanelHeader title="Return done" />
        <div className="change">
          <span>Store credit</span>
          <output data-testid="refund-total">{fmt.money(done.refundMinor, currency)}</output>
        </div>
        <StoreCreditNotice code={done.storeCreditCode} amountMinor={done.refundMinor} currency={currency} />
        <button type="button" className="btn primary" onClick={onClose}>
          Back to sale
        </button>
      </section>
    );
  }
  return (
    <section className="panel" aria-label="Return without receipt">
      <PanelHeader title="Return without receipt" hint="scan the items" onClose={onClose} />
      <ProductField
        id="no-receipt-code"
        label={canSearch ? 'Item code or name' : 'Item code'}
        currency={currency}
        canSearch={canSearch}
        onCode={add}
        className="input grow"
        autoFocus
        button={
          <button type="submit" className="btn">
            Add <Kbd>Enter</Kbd>
          </button>
        }
      />
      <ol className="return-lines">
        {items.map((it, i) => (
          <li key={it.code}>
            <span className="grow">
              <span className="name">{it.code}</span>
              <span className="sku">× {it.qty}</span>
            </span>
            <button
              type="button"
              className="btn small danger"
              aria-label={`Remove ${it.code}`}
              onClick={() => setItems((list) => list.filter((x) => x.code !== it.code))}
            >
              ✕
            </button>
            <FieldError error={error} fields={[`lines.${i}`]} />
          </li>
        ))}
      </ol>
      <ReasonField
        id="no-receipt-reason"
        reasons={REASONS}
        value={reason}
        onChange={setReason}
        error={error}
      />
      {error && !isAbout(error, ['lines', 'reason']) ? <FieldError error={error} /> : null}
      {error?.field === 'lines' ? <FieldError error={error} /> : null}
      <button
        type="button"
        className="btn primary"
        disabled={items.length === 0}
        onClick={() => void submit()}
      >
        Refund as store credit
      </button>
    </section>
  );
}
