import { type FormEvent, useState } from 'react';
import type { Cart, PricedLine } from '../../contracts/index.ts';
import { parseAmount } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { ReasonField } from './SmallPanels.tsx';
import { FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

/** A new unit price for the selected line, with a reason; the till asks for a manager by default. */
export function PricePanel({
  cart,
  line,
  currency,
  onCart,
  onClose,
}: {
  cart: Cart;
  line: PricedLine;
  currency: string;
  onCart(c: Cart): void;
  onClose(): void;
}) {
  const fmt = useFormat();
  const [price, setPrice] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const unitPriceMinor = parseAmount(price, currency);
    if (unitPriceMinor === undefined) {
      setError(new ApiError(400, 'validation', 'Type the new price, such as 1.99', 'unitPriceMinor'));
      return;
    }
    try {
      onCart(
        await api<Cart>('POST', `/api/v1/carts/${cart.cartId}/lines/${line.lineNo}/price`, {
          unitPriceMinor,
          reason,
        }),
      );
      onClose();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="panel" aria-label="Price override">
      <PanelHeader title="Change the price" onClose={onClose} />
      <form onSubmit={submit} className="stack">
        <p className="big">{line.name}</p>
        <p className="muted">Now {fmt.money(line.unitPriceMinor, currency)} each</p>
        <label htmlFor="new-price" className="label">
          New price each
        </label>
        <input
          id="new-price"
          className="input huge"
          inputMode="decimal"
          autoComplete="off"
          // biome-ignore lint/a11y/noAutofocus: the panel opens to type the price
          autoFocus
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
        <FieldError error={error} fields={['unitPriceMinor']} />
        <ReasonField
          id="price-reason"
          reasons={['Price match', 'Shelf label', 'Damaged']}
          value={reason}
          onChange={setReason}
          error={error}
        />
        {error && !isAbout(error, ['unitPriceMinor', 'reason']) ? <FieldError error={error} /> : null}
        <button type="submit" className="btn primary">
          Change price <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}
