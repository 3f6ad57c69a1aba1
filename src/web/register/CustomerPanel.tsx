import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Cart, Customer } from '../../contracts/index.ts';
import { ApiError, api, apiMaybe } from './api.ts';
import { FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

const lookupQuery = (text: string) =>
  text.includes('@')
    ? `email=${encodeURIComponent(text.trim())}`
    : `phone=${encodeURIComponent(text.trim())}`;

/**
 * Attach a customer to the sale by phone or email; one not known yet is registered on the spot, with
 * their marketing consent asked and recorded.
 */
export function CustomerPanel({
  cart,
  known,
  ensureCart,
  onCart,
  onCustomer,
  onClose,
}: {
  cart: Cart | undefined;
  known: Customer | undefined;
  ensureCart(): Promise<string>;
  onCart(c: Cart): void;
  onCustomer(c: Customer): void;
  onClose(): void;
}) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Customer | null>();
  const [name, setName] = useState('');
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<ApiError>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (found === null) nameInput.current?.focus();
  }, [found]);

  const attach = async (c: Customer) => {
    try {
      const id = await ensureCart();
      onCustomer(c);
      onCart(await api<Cart>('PUT', `/api/v1/carts/${id}/customer`, { customerId: c.customerId }));
      onClose();
    } catch (err) {
      setError(err as ApiError);
    }
  };

  const look = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!text.trim()) {
      setError(new ApiError(400, 'validation', 'Type a phone number or an email address', 'phone'));
      return;
    }
    try {
      const c = await apiMaybe<Customer>(`/api/v1/customers?${lookupQuery(text)}`);
      setFound(c);
      if (c) await attach(c);
    } catch (err) {
      setError(err as ApiError);
    }
  };

  const register = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const contact = text.includes('@') ? { email: text.trim() } : { phone: text.trim() };
    try {
      const c = await api<Customer>('POST', '/api/v1/customers', {
        ...contact,
        ...(name.trim() ? { name: name.trim() } : {}),
        marketingConsent: consent,
      });
      await attach(c);
    } catch (err) {
      setError(err as ApiError);
    }
  };

  const detach = async () => {
    if (!cart) return;
    try {
      onCart(await api<Cart>('DELETE', `/api/v1/carts/${cart.cartId}/customer`));
    } catch (err) {
      setError(err as ApiError);
    }
  };

  return (
    <section className="panel" aria-label="Customer">
      <PanelHeader title="Customer" onClose={onClose} />
      {cart?.customerId ? (
        <div className="row">
          <p className="grow big">
            {known?.name ?? known?.phone ?? known?.email ?? 'A customer'} is on this sale
          </p>
          <button type="button" className="btn" onClick={() => void detach()}>
            Remove
          </button>
        </div>
      ) : null}
      <form onSubmit={look} className="stack">
        <label htmlFor="customer-contact" className="label">
          Phone or email
        </label>
        <input
          id="customer-contact"
          ref={input}
          className="input huge"
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFound(undefined);
          }}
        />
        <FieldError error={error} fields={['phone', 'email']} />
        <button type="submit" className="btn primary">
          Find and attach <Kbd>Enter</Kbd>
        </button>
      </form>
      {found === null ? (
        <form onSubmit={register} className="stack">
          <p className="warning">
            No customer with that {text.includes('@') ? 'email' : 'phone'}: register them?
          </p>
          <label htmlFor="customer-name" className="label">
            Name (optional)
          </label>
          <input
            id="customer-name"
            ref={nameInput}
            className="input"
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <label className="check">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
            The customer agrees to receive offers
          </label>
          <button type="submit" className="btn">
            Register and attach
          </button>
        </form>
      ) : null}
      {error && !isAbout(error, ['phone', 'email']) ? <FieldError error={error} /> : null}
    </section>
  );
}
