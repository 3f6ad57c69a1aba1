import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Cart, PricedLine } from '../../contracts/index.ts';
import { type ApiError, api } from './api.ts';
import { FieldError, Kbd, PanelHeader } from './ui.tsx';

/** Change the quantity of the selected line; a zero or a fraction comes back from the API as an error on qty. */
export function QtyPanel({
  cart,
  line,
  onCart,
  onClose,
}: {
  cart: Cart;
  line: PricedLine;
  onCart(c: Cart): void;
  onClose(): void;
}) {
  const [text, setText] = useState(String(line.qty));
  const [error, setError] = useState<ApiError>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const qty = text.trim() === '' ? Number.NaN : Number(text.replace(',', '.'));
      onCart(await api<Cart>('PATCH', `/api/v1/carts/${cart.cartId}/lines/${line.lineNo}`, { qty }));
      onClose();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="panel" aria-label="Quantity">
      <PanelHeader title="Quantity" onClose={onClose} />
      <form onSubmit={submit} className="stack">
        <p className="big">{line.name}</p>
        <label htmlFor="qty" className="label">
          New quantity
        </label>
        <input
          id="qty"
          ref={input}
          className="input huge"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={!!error}
          aria-describedby="qty-error"
        />
        <FieldError error={error} id="qty-error" />
        <button type="submit" className="btn primary">
          Set quantity <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}
