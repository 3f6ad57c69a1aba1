import { type KeyboardEvent, useRef, useState } from 'react';
import type { DraftDetail } from '../../../contracts/index.ts';
import type { ApiError } from '../api.ts';
import { formatMoney } from '../format.ts';
import { productHref } from '../ops/stockColumns.tsx';
import { FieldError } from '../ui/QueryState.tsx';

type Line = DraftDetail['lineItems'][number];

/**
 * One order line: the quantity is editable while the draft is open (Enter or leaving the field saves
 * it, once: the server also ignores a quantity the line already has); a refusal is shown under the field. The reason says why replenishment asked for it.
 */
export function DraftLine({
  draftId,
  line,
  currency,
  editable,
  onSave,
  error,
  saving,
}: {
  draftId: string;
  line: Line;
  currency: string;
  editable: boolean;
  onSave: (qty: number) => void;
  error: ApiError | null;
  saving: boolean;
}) {
  const [text, setText] = useState(String(line.qty));
  const [local, setLocal] = useState<string | null>(null);
  const [seen, setSeen] = useState(line.qty);
  // The quantity sent and not yet answered: Enter saves, and the blur that follows (the field is
  // disabled while saving, or the manager clicks on) must not send it a second time.
  const sent = useRef<number | null>(null);
  if (seen !== line.qty) {
    setSeen(line.qty);
    setText(String(line.qty));
  }
  if (sent.current !== null && (sent.current === line.qty || error)) sent.current = null;
  const inputId = `qty-${draftId}-${line.lineNo}`;
  const save = () => {
    if (text.trim() === String(line.qty)) return;
    const qty = Number(text);
    if (text.trim() === '' || !Number.isInteger(qty) || qty < 0) {
      setLocal('Enter a whole number of units, 0 or more (0 drops the line).');
      return;
    }
    setLocal(null);
    if (saving || sent.current === qty) return;
    sent.current = qty;
    onSave(qty);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') save();
    if (e.key === 'Escape') {
      setText(String(line.qty));
      setLocal(null);
    }
  };
  return (
    <tr data-testid="draft-line" data-store={line.storeId} data-sku={line.sku}>
      <td>{line.storeId}</td>
      <td>
        <a href={productHref(line.storeId, line.sku)} className="product-link" data-testid="draft-product">
          {line.name} <span className="muted">{line.sku}</span>
        </a>
      </td>
      <td className="num">
        {editable ? (
          <>
            <label htmlFor={inputId} className="sr-only">
              Quantity of {line.name} ({line.sku}) for {line.storeId}
            </label>
            <input
              id={inputId}
              className="qty-input"
              inputMode="numeric"
              value={text}
              disabled={saving}
              aria-invalid={Boolean(local || error)}
              aria-describedby={`${inputId}-error`}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKey}
              onBlur={save}
            />
            {local ? (
              <p className="field-error" role="alert" id={`${inputId}-error`}>
                {local}
              </p>
            ) : (
              <FieldError id={`${inputId}-error`} error={error} />
            )}
          </>
        ) : (
          line.qty
        )}
        {line.qty !== line.suggestedQty ? (
          <span className="muted small"> (suggested {line.suggestedQty})</span>
        ) : null}
      </td>
      <td
        className="num"
        title={`${line.qty} × ${formatMoney(line.unitCostMinor, currency)} unit cost (purchase_draft_lines)`}
      >
        {formatMoney(line.unitCostMinor * line.qty, currency)}
      </td>
      <td className="reason">{line.reason}</td>
    </tr>
  );
}
