import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Cart, PricedLine } from '../../contracts/index.ts';
import { formatRate, parseAmount } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { ReasonField } from './SmallPanels.tsx';
import { Choice, FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

const REASONS = ['Damaged', 'Price match', 'Loyalty', 'Staff'];

/**
 * A cashier's discount on the selected line or on the whole basket, as a percent or an amount, always
 * with a reason. Above the till's limit the API asks for a manager, and the PIN pad takes over.
 */
export function DiscountPanel({
  cart,
  line,
  currency,
  onCart,
  onClose,
}: {
  cart: Cart;
  line: PricedLine | undefined;
  currency: string;
  onCart(c: Cart): void;
  onClose(): void;
}) {
  const fmt = useFormat();
  const [scope, setScope] = useState<'line' | 'basket'>(line ? 'line' : 'basket');
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again when the kind changes
  useEffect(() => input.current?.focus(), [kind, scope]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const body: Record<string, unknown> = { reason };
    if (kind === 'percent') {
      const pct = Number(value.replace(',', '.'));
      if (!value.trim() || !Number.isFinite(pct)) {
        setError(new ApiError(400, 'validation', 'Type a percent such as 10', 'percent'));
        return;
      }
      body.percent = pct;
    } else {
      const minor = parseAmount(value, currency);
      if (minor === undefined) {
        setError(new ApiError(400, 'validation', 'Type an amount such as 2.50', 'amountMinor'));
        return;
      }
      body.amountMinor = minor;
    }
    if (scope === 'line' && line) body.lineNo = line.lineNo;
    setSending(true);
    try {
      onCart(await api<Cart>('POST', `/api/v1/carts/${cart.cartId}/discounts`, body));
      onClose();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setSending(false);
    }
  };

  const valueFields = ['percent', 'amountMinor'];
  const remove = async (id: string) => {
    setError(undefined);
    try {
      onCart(await api<Cart>('DELETE', `/api/v1/carts/${cart.cartId}/discounts/${id}`));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const given = cart.discounts ?? [];
  return (
    <section className="panel" aria-label="Discount">
      <PanelHeader title="Discount" onClose={onClose} />
      <Choice
        legend="Discount on"
        options={[
          { value: 'line', label: `Line${line ? `: ${line.name}` : ''}`, disabled: !line },
          { value: 'basket', label: `Whole basket · ${fmt.money(cart.totals.grossMinor, currency)}` },
        ]}
        chosen={scope}
        onChoose={setScope}
      />
      <form onSubmit={submit} className="stack">
        <Choice
          legend="Discount kind"
          options={[
            { value: 'percent', label: 'Percent %' },
            { value: 'amount', label: 'Amount' },
          ]}
          chosen={kind}
          onChoose={setKind}
        />
        <label htmlFor="discount-value" className="label">
          {kind === 'percent' ? 'Percent off' : 'Amount off'}
        </label>
        <input
          id="discount-value"
          ref={input}
          className="input huge"
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <FieldError error={error} fields={valueFields} />
        <ReasonField
          id="discount-reason"
          reasons={REASONS}
          value={reason}
          onChange={setReason}
          error={error}
        />
        {error && !isAbout(error, [...valueFields, 'reason']) ? <FieldError error={error} /> : null}
        <button type="submit" className="btn primary" disabled={sending}>
          Apply discount <Kbd>Enter</Kbd>
        </button>
      </form>
      {given.length ? (
        <>
          <h3>Discounts on this sale</h3>
          <ul className="plain parked">
            {given.map((d) => (
              <li key={d.id}>
                <span className="grow">
                  <span className="name">
                    {d.lineNo
                      ? (cart.lines.find((l) => l.lineNo === d.lineNo)?.name ?? `Line ${d.lineNo}`)
                      : 'Basket'}
                  </span>
                  <span className="sku">
                    {d.percentBp ? formatRate(d.percentBp) : fmt.money(d.amountMinor ?? 0, currency)} ·{' '}
                    {d.reason}
                    {d.approvedBy ? ` · approved by ${d.approvedBy}` : ''}
                  </span>
                </span>
                <button type="button" className="btn small danger" onClick={() => void remove(d.id)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
