import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Balance, Cart, SaleResult } from '../../contracts/index.ts';
import { parseAmount, toMajorText } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { pointsTender } from './customer-logic.ts';
import { useCustomerPoints } from './customer-points.ts';
import { customerText, formatPoints } from './customer-text.ts';
import { quickCash } from './denominations.ts';
import { useFormat } from './format-context.tsx';
import { Choice, FieldError, Kbd, PanelHeader } from './ui.tsx';

export type Method = 'cash' | 'card' | 'gift_card' | 'store_credit';

/** A tender the cashier has taken but not sent yet; all of them go to the till in one request. */
type Planned = { id: number } & (
  | { kind: 'cash'; tenderedMinor: number }
  | { kind: 'card'; amountMinor: number }
  | { kind: 'gift_card' | 'store_credit'; code: string; amountMinor: number }
  | { kind: 'loyalty_points'; points: number; amountMinor: number }
);
type NewTender = Planned extends infer P ? (P extends Planned ? Omit<P, 'id'> : never) : never;
let nextId = 1;

const METHODS: { method: Method; label: string; key: string }[] = [
  { method: 'cash', label: 'Cash', key: '1' },
  { method: 'card', label: 'Card', key: '2' },
  { method: 'gift_card', label: 'Gift card', key: '3' },
  { method: 'store_credit', label: 'Store credit', key: '4' },
];

const plannedAmount = (t: Planned): number => (t.kind === 'cash' ? t.tenderedMinor : t.amountMinor);

/** What the till's complete route takes for a planned tender. */
function wire(t: Planned): Record<string, unknown> {
  // no id: the till gets only what it asks for (tender objects refuse unknown fields)
  if (t.kind === 'cash') return { kind: 'cash', tenderedMinor: t.tenderedMinor };
  if (t.kind === 'card') return { kind: 'card', amountMinor: t.amountMinor };
  // The till values the points itself; the amount shown is the same arithmetic (customer-logic.ts).
  if (t.kind === 'loyalty_points') return { kind: 'loyalty_points', points: t.points };
  return { kind: t.kind, code: t.code, amountMinor: t.amountMinor };
}

/**
 * Taking payment: pick a method (Alt+1…4), type or tap an amount, Enter. Tenders add up until the
 * total is covered, then the sale completes in one request (cards first, then the rest, as the till
 * does it). A declined card answers 402: the message stands next to that card and the sale stays open.
 * With a customer on the sale who has points, one button pays what their points cover. A limited
 * promotion HQ refuses answers 409: the till priced the cart again without it, so the panel shows the
 * new cart's total and the cashier goes on taking payment with the tenders already taken.
 */
export function TenderPanel({
  cart,
  currency,
  methods,
  onPaid,
  onCart,
  onClose,
  setScanTarget,
}: {
  cart: Cart;
  /** The cart as the till priced it again (a promotion refused at checkout). */
  onCart(c: Cart): void;
  currency: string;
  /** methods the till accepts (gift card and store credit appear once their API exists) */
  methods: readonly Method[];
  onPaid(sale: SaleResult): void;
  onClose(): void;
  setScanTarget(fn: ((code: string) => void) | undefined): void;
}) {
  const fmt = useFormat();
  const t = customerText(fmt.locale);
  const due = cart.totals.grossMinor;
  const customerPoints = useCustomerPoints(cart.customerId).data;
  const [refused, setRefused] = useState<{ messages: string[]; totalMinor: number }>();
  const [planned, setPlanned] = useState<Planned[]>([]);
  const [method, setMethod] = useState<Method>('cash');
  const [amount, setAmount] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError>();
  const [failedIndex, setFailedIndex] = useState<number>();
  const [sending, setSending] = useState(false);
  const [balance, setBalance] = useState<Balance>();
  const amountInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  const paid = planned.reduce((s, t) => s + plannedAmount(t), 0);
  const remaining = Math.max(0, due - paid);
  const storedValue = method === 'gift_card' || method === 'store_credit';

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-focus when the method or what is left changes
  useEffect(() => {
    (storedValue && !code ? codeInput : amountInput).current?.focus();
    amountInput.current?.select();
  }, [method, remaining]);

  // A scanned gift card lands in the card number field instead of the cart.
  useEffect(() => {
    setScanTarget(storedValue ? (c) => setCode(c) : undefined);
    return () => setScanTarget(undefined);
  }, [storedValue, setScanTarget]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey) return;
      const m = METHODS.find((x) => x.key === e.key || e.code === `Digit${x.key}`);
      if (m && methods.includes(m.method)) {
        e.preventDefault();
        choose(m.method);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const choose = (m: Method) => {
    setMethod(m);
    setBalance(undefined);
    setCode('');
    setAmount('');
    setError(undefined);
  };

  const complete = async (tenders: Planned[]) => {
    setSending(true);
    setError(undefined);
    setFailedIndex(undefined);
    try {
      onPaid(
        await api<SaleResult>('POST', `/api/v1/carts/${cart.cartId}/complete`, {
          tenders: tenders.map(wire),
        }),
      );
    } catch (err) {
      const e = err as ApiError;
      if (e.status === 409 && e.field === 'promotions') {
        // Nothing was charged: keep the tenders, show the new total and let the cashier go on.
        try {
          const repriced = await api<Cart>('GET', `/api/v1/carts/${cart.cartId}`);
          onCart(repriced);
          setRefused({
            messages: repriced.refusedPromotions?.map((r) => r.message) ?? [e.message],
            totalMinor: repriced.totals.grossMinor,
          });
        } catch {
          setError(e);
        }
        setSending(false);
        return;
      }
      const at = /^tenders\.(\d+)/.exec(e.field ?? '')?.[1];
      // The failed tender (a declined card, a gift card short of balance) is taken off; the rest stay.
      const index =
        at !== undefined ? Number(at) : e.status === 402 ? tenders.findIndex((t) => t.kind === 'card') : -1;
      setFailedIndex(index >= 0 ? index : undefined);
      setError(e);
      setSending(false);
    }
  };

  const add = (t: NewTender) => {
    const next = [...planned.filter((_, i) => i !== failedIndex), { ...t, id: nextId++ } as Planned];
    setFailedIndex(undefined);
    setError(undefined);
    setPlanned(next);
    setAmount('');
    setCode('');
    if (next.reduce((s, x) => s + plannedAmount(x), 0) >= due) void complete(next);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    if (remaining === 0 && planned.length > 0)
      return void complete(planned.filter((_, i) => i !== failedIndex));
    let value = amount.trim() === '' ? remaining : parseAmount(amount, currency);
    if (storedValue && code.trim()) {
      // Look the card up first: an unknown card or its balance shows before anything is charged.
      try {
        const b = await api<Balance>('POST', '/api/v1/gift-cards/balance', { code: code.trim() });
        setBalance(b);
        if (amount.trim() === '') value = Math.min(b.balanceMinor, remaining);
        if (value === 0) {
          setError(new ApiError(400, 'validation', 'This card has nothing left on it', 'code'));
          return;
        }
      } catch (err) {
        setError(err as ApiError);
        return;
      }
    }
    if (value === undefined || value <= 0) {
      setError(
        new ApiError(
          400,
          'validation',
          `Type an amount such as ${toMajorText(remaining, currency)}`,
          'amount',
        ),
      );
      return;
    }
    if (method !== 'cash' && value > remaining) {
      setError(
        new ApiError(400, 'validation', `Only ${fmt.money(remaining, currency)} is left to pay`, 'amount'),
      );
      return;
    }
    if (method === 'cash') add({ kind: 'cash', tenderedMinor: value });
    else if (method === 'card') add({ kind: 'card', amountMinor: value });
    else if (!code.trim()) {
      setError(new ApiError(400, 'validation', 'Scan or type the card number', 'code'));
      codeInput.current?.focus();
    } else add({ kind: method, code: code.trim(), amountMinor: value });
  };

  const points =
    customerPoints?.enabled && !planned.some((p) => p.kind === 'loyalty_points')
      ? pointsTender(remaining, customerPoints.balancePoints, customerPoints.redeemPointsPerUnit, currency)
      : undefined;
  const label = (kind: Planned['kind']) =>
    kind === 'loyalty_points' ? t.pointsTender : METHODS.find((m) => m.method === kind)?.label;

  const change = Math.max(0, paid - due);
  return (
    <section className="panel tender-panel" aria-label="Payment">
      <PanelHeader title="Payment" onClose={sending ? undefined : onClose} />
      {refused ? (
        <div className="promotion-refused" role="alert" data-testid="promotion-refused">
          <strong>{t.promotionRefused}</strong>
          {refused.messages.map((m) => (
            <span key={m}>{m}</span>
          ))}
          <span>{t.newTotal(fmt.money(refused.totalMinor, currency))}</span>
        </div>
      ) : null}
      <div className="due">
        <span>{planned.length ? 'Left to pay' : 'To pay'}</span>
        <output data-testid="remaining">{fmt.money(remaining, currency)}</output>
      </div>
      {planned.length > 0 ? (
        <ol className="tenders" aria-label="Tenders taken">
          {planned.map((p, i) => (
            <li key={p.id} className={i === failedIndex ? 'failed' : ''}>
              <span>
                {label(p.kind)}
                {p.kind === 'loyalty_points' ? ` (${formatPoints(p.points, fmt)})` : ''}
              </span>
              <span className="num">{fmt.money(plannedAmount(p), currency)}</span>
              {i === failedIndex ? <FieldError error={error} /> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {points ? (
        <button
          type="button"
          className="btn points-tender"
          data-testid="pay-with-points"
          disabled={sending}
          onClick={() => add({ kind: 'loyalty_points', ...points })}
        >
          {t.payWithPoints}:{' '}
          {t.pointsCover(formatPoints(points.points, fmt), fmt.money(points.amountMinor, currency))}
        </button>
      ) : null}
      <Choice
        legend="Method"
        options={METHODS.filter((m) => methods.includes(m.method)).map((m) => ({
          value: m.method,
          label: (
            <>
              {m.label} <Kbd>Alt+{m.key}</Kbd>
            </>
          ),
        }))}
        chosen={method}
        onChoose={choose}
      />
      <form onSubmit={submit} className="stack">
        {storedValue ? (
          <>
            <label htmlFor="sv-code" className="label">
              {method === 'gift_card' ? 'Gift card number (scan it)' : 'Store credit number'}
            </label>
            <input
              id="sv-code"
              ref={codeInput}
              className="input"
              autoComplete="off"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <FieldError error={failedIndex === undefined ? error : undefined} fields={['code']} />
            {balance ? (
              <p className="ok">
                Card ••••{balance.last4}: {fmt.money(balance.balanceMinor, balance.currency)} on it
              </p>
            ) : null}
          </>
        ) : null}
        <label htmlFor="tender-amount" className="label">
          {method === 'cash' ? 'Cash handed over' : 'Amount'} (empty = {fmt.money(remaining, currency)})
        </label>
        <input
          id="tender-amount"
          ref={amountInput}
          className="input huge"
          inputMode="decimal"
          autoComplete="off"
          placeholder={toMajorText(remaining, currency)}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-describedby="tender-error"
        />
        {failedIndex === undefined ? (
          <FieldError error={error?.field === 'code' ? undefined : error} id="tender-error" />
        ) : null}
        {method === 'cash' && remaining > 0 ? (
          <div className="quick">
            {quickCash(remaining, currency).map((v) => (
              <button
                key={v}
                type="button"
                className="btn"
                disabled={sending}
                onClick={() => add({ kind: 'cash', tenderedMinor: v })}
              >
                {fmt.money(v, currency)}
              </button>
            ))}
          </div>
        ) : null}
        <button type="submit" className="btn primary" disabled={sending}>
          {sending
            ? 'Completing…'
            : remaining === 0 && planned.length
              ? 'Complete sale'
              : `Take ${METHODS.find((m) => m.method === method)?.label.toLowerCase()}`}{' '}
          <Kbd>Enter</Kbd>
        </button>
      </form>
      {change > 0 ? <p className="change-preview">Change {fmt.money(change, currency)}</p> : null}
    </section>
  );
}
