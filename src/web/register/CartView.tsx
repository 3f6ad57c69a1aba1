import { useEffect, useRef } from 'react';
import type { Cart, Customer } from '../../contracts/index.ts';
import { formatRate } from './amount-input.ts';
import { customerLabel } from './customer-logic.ts';
import { useCustomerPoints } from './customer-points.ts';
import { customerText, formatPoints } from './customer-text.ts';
import { useFormat } from './format-context.tsx';

/** The cart, always on screen: lines with their discounts, and the total large enough to read across the counter. */
export function CartView({
  cart,
  customer,
  currency,
  selected,
  onSelect,
  onQty,
  onVoid,
  busy,
}: {
  cart: Cart | undefined;
  customer: Pick<Customer, 'customerId' | 'name' | 'phone' | 'email' | 'cardNumber'> | undefined;
  currency: string;
  selected: number | undefined;
  onSelect(lineNo: number): void;
  onQty(lineNo: number, qty: number): void;
  onVoid(lineNo: number): void;
  busy: boolean;
}) {
  const fmt = useFormat();
  const t = customerText(fmt.locale);
  const points = useCustomerPoints(customer?.customerId).data;
  const lines = cart?.lines ?? [];
  const list = useRef<HTMLOListElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the selection or the line count changes
  useEffect(() => {
    list.current?.querySelector('.line.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selected, lines.length]);
  const totals = cart?.totals;
  const discount = totals?.discountMinor ?? lines.reduce((s, l) => s + (l.discountMinor ?? 0), 0);
  const items = lines.reduce((s, l) => s + l.qty, 0);
  return (
    <section className="cart" aria-label="Cart">
      {customer ? (
        <div className="cart-customer" data-testid="cart-customer">
          {t.title}: <strong>{customerLabel(customer) ?? '—'}</strong>
          {points?.enabled ? (
            <span className="cart-points" data-testid="cart-points">
              {' '}
              · {points.tier} · {t.points(formatPoints(points.balancePoints, fmt))}
              {points.asOf ? ` (${t.asOf(fmt.dateTime(points.asOf))})` : ''}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className="cart-head">
        <span>Item</span>
        <span className="num">Qty</span>
        <span className="num price-col">Price</span>
        <span className="num amount-col">Amount</span>
        <span />
      </div>
      {lines.length === 0 ? (
        <div className="cart-empty">
          <p className="big">Scan an item to start a sale</p>
          <p className="muted">or type its code or name and press Enter</p>
        </div>
      ) : (
        <ol className="lines" ref={list} data-testid="cart-lines">
          {lines.map((l) => (
            <li key={l.lineNo} className={`line ${l.lineNo === selected ? 'selected' : ''}`}>
              <button type="button" className="line-main" onClick={() => onSelect(l.lineNo)}>
                <span className="line-name">
                  <span className="name">{l.name}</span>
                  <span className="sku">
                    {l.sku}
                    {l.taxRateBp ? ` · tax ${formatRate(l.taxRateBp)}` : ''}
                    <span className="unit">
                      {' '}
                      · {fmt.money(l.unitPriceMinor, currency)}
                      {perUnit(l.measure) || ' each'}
                    </span>
                  </span>
                  {l.discounts?.map((d) => (
                    <span key={d.id} className="line-discount">
                      {d.basket ? 'Basket discount' : 'Discount'}
                      {d.percentBp ? ` ${formatRate(d.percentBp)}` : ''} · {d.reason}{' '}
                      <span className="nowrap">−{fmt.money(d.amountMinor, currency)}</span>
                    </span>
                  ))}
                  {l.priceOverride ? (
                    <span className="line-discount">
                      Price changed from {fmt.money(l.priceOverride.fromMinor, currency)} ·{' '}
                      {l.priceOverride.reason}
                    </span>
                  ) : null}
                </span>
                <span className="num qty">{l.measure ? `${l.measure.amount} ${l.measure.unit}` : l.qty}</span>
                <span className="num price-col">
                  {fmt.money(l.unitPriceMinor, currency)}
                  {perUnit(l.measure)}
                </span>
                <span className="num amount amount-col">
                  {l.discountMinor && l.listMinor !== undefined ? (
                    <s className="muted">{fmt.money(l.listMinor, currency)}</s>
                  ) : null}
                  {fmt.money(l.grossMinor, currency)}
                </span>
              </button>
              <span className="line-actions">
                <button
                  type="button"
                  className="btn small"
                  aria-label={`One less ${l.name}`}
                  disabled={busy || l.qty <= 1 || !!l.measure}
                  onClick={() => onQty(l.lineNo, l.qty - 1)}
                >
                  −
                </button>
                <button
                  type="button"
                  className="btn small"
                  aria-label={`One more ${l.name}`}
                  disabled={busy || !!l.measure}
                  onClick={() => onQty(l.lineNo, l.qty + 1)}
                >
                  +
                </button>
                <button
                  type="button"
                  className="btn small danger"
                  aria-label={`Void ${l.name}`}
                  disabled={busy}
                  onClick={() => onVoid(l.lineNo)}
                >
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <footer className="totals">
        <dl>
          <div>
            <dt>Items</dt>
            <dd data-testid="item-count">{items}</dd>
          </div>
          {discount > 0 ? (
            <div className="discount">
              <dt>Discounts</dt>
              <dd>−{fmt.money(discount, currency)}</dd>
            </div>
          ) : null}
          <div>
            <dt>{cart?.taxInclusive ? 'Tax included' : 'Tax'}</dt>
            <dd>{fmt.money(totals?.taxMinor ?? 0, currency)}</dd>
          </div>
        </dl>
        <div className="grand">
          <span>Total</span>
          <output className="total" data-testid="total">
            {fmt.money(totals?.grossMinor ?? 0, currency)}
          </output>
        </div>
      </footer>
    </section>
  );
}

/** "/kg" for a price per 1000 g (likewise l and m); empty for items sold by the piece. */
export function perUnit(m: { unit: string; per: number } | undefined): string {
  if (!m) return '';
  const big: Record<string, string> = { g: 'kg', ml: 'l', mm: 'm' };
  return m.per === 1000 && big[m.unit] ? `/${big[m.unit]}` : `/${m.per} ${m.unit}`;
}
