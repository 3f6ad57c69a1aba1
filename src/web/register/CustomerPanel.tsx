import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Cart, Customer } from '../../contracts/index.ts';
import { ApiError, api } from './api.ts';
import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  type CustomerKey,
  consentsOf,
  customerLabel,
  registrationField,
  searchKeys,
} from './customer-logic.ts';
import { pointsKey, useCustomerPoints } from './customer-points.ts';
import { type CustomerText, customerText, formatPoints } from './customer-text.ts';
import { useFormat } from './format-context.tsx';
import { FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

/**
 * Find a customer registered at any store by phone, email or loyalty card (the till asks HQ when it
 * does not know them) and attach them to the sale; one nobody knows is registered on the spot, with
 * each consent asked separately and unticked until the customer says yes. The attached customer shows
 * with their tier, points and consents, which the cashier can change as the customer asks.
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
  const fmt = useFormat();
  const t = customerText(fmt.locale);
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Customer | null>();
  const [error, setError] = useState<ApiError>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const attach = async (c: Customer) => {
    try {
      const id = await ensureCart();
      onCustomer(c);
      onCart(await api<Cart>('PUT', `/api/v1/carts/${id}/customer`, { customerId: c.customerId }));
      // A customer back at the counter: their balance as HQ has it now, not as this screen last saw it.
      void qc.invalidateQueries({ queryKey: pointsKey(c.customerId) });
      onClose();
    } catch (err) {
      setError(err as ApiError);
    }
  };

  /** Each way the text may name someone, in turn; a phone the till cannot read may still be a card. */
  const lookUp = async (q: string): Promise<Customer | null> => {
    for (const key of searchKeys(q)) {
      try {
        return await api<Customer>('GET', `/api/v1/customers?${key}=${encodeURIComponent(q.trim())}`);
      } catch (err) {
        const e = err as ApiError;
        if (e.status === 404 || (e.status === 400 && key === 'phone')) continue;
        throw err;
      }
    }
    return null;
  };

  const look = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!text.trim()) {
      setError(new ApiError(400, 'validation', t.searchEmpty, 'search'));
      return;
    }
    try {
      const c = await lookUp(text);
      setFound(c);
      if (c) await attach(c);
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

  const attached = cart?.customerId ? (known ?? { customerId: cart.customerId }) : undefined;
  return (
    <section className="panel customer-panel" aria-label={t.title}>
      <PanelHeader title={t.title} onClose={onClose} />
      {attached ? (
        <AttachedCustomer customer={attached} t={t} onCustomer={onCustomer} onRemove={() => void detach()} />
      ) : null}
      <form onSubmit={look} className="stack">
        <label htmlFor="customer-search" className="label">
          {t.searchLabel}
        </label>
        <input
          id="customer-search"
          ref={input}
          className="input huge"
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFound(undefined);
          }}
        />
        <FieldError error={error} fields={['search', 'phone', 'email', 'cardNumber']} />
        <button type="submit" className="btn primary">
          {t.find} <Kbd>Enter</Kbd>
        </button>
      </form>
      {found === null ? (
        <RegisterForm key={text} searched={text.trim()} t={t} onRegistered={(c) => void attach(c)} />
      ) : null}
      {error && !isAbout(error, ['search', 'phone', 'email', 'cardNumber']) ? (
        <FieldError error={error} />
      ) : null}
    </section>
  );
}

/** Who is on the sale: name or masked identifier, tier, points ("as of" offline), consents to change. */
function AttachedCustomer({
  customer,
  t,
  onCustomer,
  onRemove,
}: {
  customer: Customer | { customerId: string };
  t: CustomerText;
  onCustomer(c: Customer): void;
  onRemove(): void;
}) {
  const fmt = useFormat();
  const points = useCustomerPoints(customer.customerId);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const full = 'createdAt' in customer ? customer : undefined;
  const consents = full ? consentsOf(full) : undefined;

  // The box shows the cashier's tick at once; the till's answer confirms it, or it goes back.
  const [pending, setPending] = useState<Partial<Record<ConsentPurpose, boolean>>>({});
  const settle = (purpose: ConsentPurpose) => setPending(({ [purpose]: _, ...rest }) => rest);

  const change = async (purpose: ConsentPurpose, granted: boolean) => {
    setError(undefined);
    setSaved(false);
    setPending((p) => ({ ...p, [purpose]: granted }));
    try {
      onCustomer(
        await api<Customer>('POST', `/api/v1/customers/${encodeURIComponent(customer.customerId)}/consents`, {
          purpose,
          granted,
        }),
      );
      setSaved(true);
    } catch (err) {
      setError(err as ApiError);
    }
    settle(purpose);
  };

  const p = points.data;
  return (
    <div className="attached-customer stack" data-testid="attached-customer">
      <div className="row">
        <p className="grow big">
          {t.onSale}: <strong>{customerLabel(full) ?? '—'}</strong>
        </p>
        <button type="button" className="btn" onClick={onRemove}>
          {t.remove}
        </button>
      </div>
      {p ? (
        p.enabled ? (
          <p data-testid="customer-points">
            {t.tier} <strong className="tier">{p.tier}</strong> ·{' '}
            <strong>{t.points(formatPoints(p.balancePoints, fmt))}</strong>
            {p.asOf ? <span className="muted"> · {t.asOf(fmt.dateTime(p.asOf))}</span> : null}
          </p>
        ) : (
          <p className="muted">{t.noProgramme}</p>
        )
      ) : null}
      {full?.segment ? (
        <p data-testid="customer-segment">
          {t.segment} <strong>{t.segmentName(full.segment)}</strong>
        </p>
      ) : null}
      {consents ? (
        <fieldset className="consents">
          <legend className="label">{t.consentLegend}</legend>
          {CONSENT_PURPOSES.map((purpose) => (
            <ConsentBox
              key={purpose}
              purpose={purpose}
              t={t}
              checked={pending[purpose] ?? consents[purpose]}
              onChange={(v) => void change(purpose, v)}
              idPrefix="attached"
            />
          ))}
          {saved ? (
            <p className="ok" role="status">
              {t.consentSaved}
            </p>
          ) : null}
          <FieldError error={error} />
        </fieldset>
      ) : null}
    </div>
  );
}

function ConsentBox({
  purpose,
  t,
  checked,
  onChange,
  idPrefix,
}: {
  purpose: ConsentPurpose;
  t: CustomerText;
  checked: boolean;
  onChange(v: boolean): void;
  idPrefix: string;
}) {
  const id = `${idPrefix}-consent-${purpose}`;
  return (
    <label className="check consent" htmlFor={id}>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="consent-text">
        {t.consent[purpose].label}
        <small className="muted consent-meaning">{t.consent[purpose].meaning}</small>
      </span>
    </label>
  );
}

const FIELDS: { key: CustomerKey | 'name'; type: string }[] = [
  { key: 'name', type: 'text' },
  { key: 'phone', type: 'tel' },
  { key: 'email', type: 'email' },
  { key: 'cardNumber', type: 'text' },
];

/** Registering someone nobody knows: the searched text lands in its field; every consent starts unticked. */
function RegisterForm({
  searched,
  t,
  onRegistered,
}: {
  searched: string;
  t: CustomerText;
  onRegistered(c: Customer): void;
}) {
  const [values, setValues] = useState<Record<CustomerKey | 'name', string>>(() => ({
    name: '',
    phone: '',
    email: '',
    cardNumber: '',
    [registrationField(searched)]: searched,
  }));
  const [consents, setConsents] = useState<Record<ConsentPurpose, boolean>>({
    marketing_email: false,
    marketing_sms: false,
    analytics: false,
  });
  const [error, setError] = useState<ApiError>();
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);
  const label = { name: t.name, phone: t.phone, email: t.email, cardNumber: t.card };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const given = Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([, v]) => v !== ''),
    );
    if (!given.phone && !given.email) {
      setError(new ApiError(400, 'validation', t.needContact, 'phone'));
      return;
    }
    try {
      onRegistered(await api<Customer>('POST', '/api/v1/customers', { ...given, consents }));
    } catch (err) {
      setError(err as ApiError);
    }
  };

  return (
    <form onSubmit={submit} className="stack register-customer" aria-label={t.registerTitle}>
      <p className="warning">{t.notFound(searched)}</p>
      <div className="customer-fields">
        {FIELDS.map(({ key, type }) => (
          <div key={key} className="stack">
            <label htmlFor={`customer-${key}`} className="label">
              {label[key]}
              {key === 'name' || key === 'cardNumber' ? ` (${t.optional})` : ''}
            </label>
            <input
              id={`customer-${key}`}
              ref={key === 'name' ? nameInput : undefined}
              className="input"
              type={type}
              autoComplete="off"
              value={values[key]}
              onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
            />
            <FieldError error={error} fields={[key]} />
          </div>
        ))}
      </div>
      <fieldset className="consents">
        <legend className="label">{t.consentLegend}</legend>
        {CONSENT_PURPOSES.map((purpose) => (
          <ConsentBox
            key={purpose}
            purpose={purpose}
            t={t}
            checked={consents[purpose]}
            onChange={(v) => setConsents((c) => ({ ...c, [purpose]: v }))}
            idPrefix="new"
          />
        ))}
      </fieldset>
      {error && !isAbout(error, ['name', 'phone', 'email', 'cardNumber']) ? (
        <FieldError error={error} />
      ) : null}
      <button type="submit" className="btn primary">
        {t.register}
      </button>
    </form>
  );
}
