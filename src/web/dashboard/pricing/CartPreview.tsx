import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { StoreInfo } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { formatMoney } from '../format.ts';
import { Panel } from '../ui/Panel.tsx';
import { FieldError } from '../ui/QueryState.tsx';
import { wallTimeToInstant } from './priceStatus.ts';
import { PRICING_PATHS, type Quote } from './pricingApi.ts';
import type { PromotionForm } from './promotionForm.ts';
import { toDefinition } from './promotionMapping.ts';

/**
 * A cart priced by HQ exactly as the store's tills would at a moment, with the promotion being edited
 * included as a draft (sent as `draftPromotions`, never saved).
 */
export function CartPreview({
  stores,
  draft,
}: {
  stores: readonly StoreInfo[];
  draft: PromotionForm | undefined;
}) {
  const [storeId, setStoreId] = useState(stores[0]?.storeId ?? '');
  const [at, setAt] = useState('');
  const [lines, setLines] = useState([{ sku: '', qty: '1' }]);
  const [coupon, setCoupon] = useState('');
  const [member, setMember] = useState(false);
  const store = stores.find((s) => s.storeId === storeId);
  const currency = store?.currency ?? 'EUR';
  const draftDef = draft ? toDefinition(draft, currency).definition : undefined;
  const quote = useMutation<Quote, ApiError>({
    mutationFn: () => {
      const instant = at && store ? wallTimeToInstant(at, store.timeZone) : undefined;
      return call<Quote>('POST', PRICING_PATHS.quote, {
        storeId,
        ...(instant ? { at: instant } : {}),
        lines: lines.filter((l) => l.sku.trim()).map((l) => ({ sku: l.sku.trim(), qty: Number(l.qty) || 1 })),
        ...(coupon.trim() ? { couponCodes: [coupon.trim()] } : {}),
        ...(member ? { customer: { id: 'preview', loyaltyMember: true, segments: [] } } : {}),
        ...(draftDef ? { draftPromotions: [draftDef] } : {}),
      });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    quote.mutate();
  };
  const q = quote.data;
  return (
    <Panel title="Cart preview" wide testId="cart-preview">
      <form className="people-form" onSubmit={submit} aria-label="Preview a cart">
        <div className="people-fields">
          <label className="field">
            <span>Store</span>
            <select id="preview-store" value={storeId} onChange={(e) => setStoreId(e.target.value)}>
              {stores.map((s) => (
                <option key={s.storeId} value={s.storeId}>
                  {s.storeId} · {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>At (store time; empty: now)</span>
            <input id="preview-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
          </label>
          <label className="field">
            <span>Coupon</span>
            <input id="preview-coupon" value={coupon} onChange={(e) => setCoupon(e.target.value)} />
          </label>
          <label className="field">
            <span>Loyalty member</span>
            <input
              id="preview-member"
              type="checkbox"
              checked={member}
              onChange={(e) => setMember(e.target.checked)}
            />
          </label>
        </div>
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are edited in place by position
          <div key={i} className="people-fields">
            <label className="field">
              <span>SKU</span>
              <input
                id={`preview-sku-${i}`}
                value={l.sku}
                onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, sku: e.target.value } : x)))}
              />
              <FieldError error={quote.error?.field === `lines.${i}.sku` ? quote.error : undefined} />
            </label>
            <label className="field">
              <span>Qty</span>
              <input
                id={`preview-qty-${i}`}
                value={l.qty}
                onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, qty: e.target.value } : x)))}
              />
            </label>
          </div>
        ))}
        <button
          type="button"
          className="btn small ghost"
          onClick={() => setLines([...lines, { sku: '', qty: '1' }])}
        >
          Add line
        </button>{' '}
        <button type="submit" className="btn small primary" disabled={quote.isPending}>
          Price it
        </button>
        {draft ? (
          <p className="muted">
            {draftDef
              ? `Includes the draft “${draftDef.name}”.`
              : 'The draft promotion has errors and is left out.'}
          </p>
        ) : null}
        {quote.error && !quote.error.field?.startsWith('lines.') ? <FieldError error={quote.error} /> : null}
      </form>
      {q ? (
        <table className="table" data-testid="quote">
          <thead>
            <tr>
              <th>SKU</th>
              <th className="num">Qty</th>
              <th className="num">List</th>
              <th>Discounts</th>
              <th className="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {q.lines.map((l) => (
              <tr key={l.lineId}>
                <td>{l.sku}</td>
                <td className="num">{l.qty}</td>
                <td className="num">{formatMoney(l.listMinor, q.currency)}</td>
                <td data-testid="quote-discounts">
                  {l.discounts.map((d) => `${d.name} −${formatMoney(d.amountMinor, q.currency)}`).join('; ')}
                </td>
                <td className="num">{formatMoney(l.amountMinor, q.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={4}>Discount</td>
              <td className="num" data-testid="quote-discount">
                {formatMoney(q.discountMinor, q.currency)}
              </td>
            </tr>
            <tr>
              <td colSpan={4}>Tax</td>
              <td className="num">{formatMoney(q.taxMinor, q.currency)}</td>
            </tr>
            <tr>
              <td colSpan={4}>Total</td>
              <td className="num" data-testid="quote-total">
                {formatMoney(q.totalMinor, q.currency)}
              </td>
            </tr>
          </tfoot>
        </table>
      ) : null}
    </Panel>
  );
}
