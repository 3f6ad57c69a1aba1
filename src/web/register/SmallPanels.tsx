import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Cart, ParkedCartSummary } from '../../contracts/index.ts';
import { parseAmount } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { AmountField, Choice, FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

/** Reason chips plus a free-text field; every reason the till asks for is entered this way. */
export function ReasonField({
  id,
  reasons,
  value,
  onChange,
  error,
  autoFocus,
}: {
  id: string;
  reasons: readonly string[];
  value: string;
  onChange(v: string): void;
  error: ApiError | undefined;
  autoFocus?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  return (
    <>
      <label htmlFor={id} className="label">
        Reason
      </label>
      <div className="chips">
        {reasons.map((r) => (
          <button
            key={r}
            type="button"
            className={`btn chip ${value === r ? 'chosen' : ''}`}
            onClick={() => onChange(r)}
          >
            {r}
          </button>
        ))}
      </div>
      <input
        id={id}
        ref={input}
        className="input"
        autoComplete="off"
        placeholder="or type a reason"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldError error={error} fields={['reason']} />
    </>
  );
}

/** Park the open sale with a label, or pick a parked one up again. */
export function ParkPanel({
  cart,
  currency,
  onParked,
  onResumed,
  onClose,
}: {
  cart: Cart | undefined;
  currency: string;
  onParked(): void;
  onResumed(c: Cart): void;
  onClose(): void;
}) {
  const fmt = useFormat();
  const [label, setLabel] = useState('');
  const [error, setError] = useState<ApiError>();
  const parked = useQuery({
    queryKey: ['parked'],
    queryFn: () => api<ParkedCartSummary[]>('GET', '/api/v1/carts?status=parked'),
    gcTime: 0,
  });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const hasLines = (cart?.lines.length ?? 0) > 0;
  const park = async (e: FormEvent) => {
    e.preventDefault();
    if (!cart) return;
    try {
      await api('POST', `/api/v1/carts/${cart.cartId}/park`, label.trim() ? { label: label.trim() } : {});
      onParked();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const resume = async (id: string) => {
    try {
      onResumed(await api<Cart>('POST', `/api/v1/carts/${id}/resume`));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="panel" aria-label="Park or resume">
      <PanelHeader title="Park / resume" onClose={onClose} />
      {hasLines ? (
        <form onSubmit={park} className="stack">
          <label htmlFor="park-label" className="label">
            Label (who it belongs to)
          </label>
          <input
            id="park-label"
            ref={input}
            className="input"
            autoComplete="off"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
          <FieldError error={error} fields={['label']} />
          <button type="submit" className="btn primary">
            Park this sale <Kbd>Enter</Kbd>
          </button>
        </form>
      ) : null}
      <h3>Parked sales</h3>
      {parked.data?.length ? (
        <ul className="plain parked">
          {parked.data.map((p) => (
            <li key={p.cartId}>
              <span className="grow">
                <span className="name">{p.label ?? 'No label'}</span>
                <span className="sku">
                  {p.itemCount} {p.itemCount === 1 ? 'item' : 'items'} · parked {fmt.time(p.parkedAt)}
                </span>
              </span>
              <span className="num">{fmt.money(p.grossMinor, p.currency ?? currency)}</span>
              <button
                type="button"
                className="btn"
                disabled={hasLines}
                title={hasLines ? 'Park or finish the open sale first' : ''}
                onClick={() => void resume(p.cartId)}
              >
                Resume
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{parked.isPending ? 'Loading…' : 'No parked sales.'}</p>
      )}
      {error && !isAbout(error, ['label']) ? <FieldError error={error} /> : null}
    </section>
  );
}

/** Void the whole open sale before payment, with a reason (logged in the ledger). */
export function VoidSalePanel({
  cart,
  onVoided,
  onClose,
}: {
  cart: Cart;
  onVoided(): void;
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('POST', `/api/v1/carts/${cart.cartId}/void`, { reason });
      onVoided();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="panel" aria-label="Void sale">
      <PanelHeader title="Void the whole sale" onClose={onClose} />
      <form onSubmit={submit} className="stack">
        <ReasonField
          id="void-reason"
          reasons={['Customer left', 'No means to pay', 'Rung up by mistake']}
          value={reason}
          onChange={setReason}
          error={error}
          autoFocus
        />
        {error && !isAbout(error, ['reason']) ? <FieldError error={error} /> : null}
        <button type="submit" className="btn danger">
          Void sale <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}

type DrawerOp = 'cash-drops' | 'paid-outs' | 'no-sale';
const DRAWER_OPS: { op: DrawerOp; label: string; reasons: string[] }[] = [
  { op: 'cash-drops', label: 'Cash drop', reasons: ['Safe drop'] },
  { op: 'paid-outs', label: 'Pay out', reasons: ['Supplies', 'Delivery', 'Refund of deposit'] },
  { op: 'no-sale', label: 'Open drawer', reasons: ['Change for a note', 'Check a note'] },
];

/** Drawer movements outside a sale: drops to the safe, pay-outs and no-sale opens, each with a reason. */
export function DrawerPanel({ currency, onClose }: { currency: string; onClose(): void }) {
  const fmt = useFormat();
  const [op, setOp] = useState<DrawerOp>('cash-drops');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const meta = DRAWER_OPS.find((d) => d.op === op)!;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    const amountMinor = op === 'no-sale' ? undefined : parseAmount(amount, currency);
    if (op !== 'no-sale' && amountMinor === undefined) {
      setError(new ApiError(400, 'validation', 'Type an amount such as 50.00', 'amountMinor'));
      return;
    }
    try {
      await api('POST', `/api/v1/shifts/current/${op}`, { reason, ...(amountMinor ? { amountMinor } : {}) });
      setDone(`${meta.label} recorded${amountMinor ? `: ${fmt.money(amountMinor, currency)}` : ''}`);
      setAmount('');
      setReason('');
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section className="panel" aria-label="Drawer">
      <PanelHeader title="Drawer" onClose={onClose} />
      <Choice
        legend="Drawer action"
        options={DRAWER_OPS.map((d) => ({ value: d.op, label: d.label }))}
        chosen={op}
        onChoose={(o) => {
          setOp(o);
          setError(undefined);
        }}
      />
      <form onSubmit={submit} className="stack">
        {op !== 'no-sale' ? (
          <AmountField
            id="drawer-amount"
            label="Amount"
            value={amount}
            onChange={setAmount}
            error={error}
            field="amountMinor"
          />
        ) : null}
        <ReasonField
          id="drawer-reason"
          reasons={meta.reasons}
          value={reason}
          onChange={setReason}
          error={error}
        />
        {error && !isAbout(error, ['amountMinor', 'reason']) ? <FieldError error={error} /> : null}
        {done ? <p className="ok">{done}</p> : null}
        <button type="submit" className="btn primary">
          {meta.label} <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}

/** A product sold by weight: the scale's reading in grams, typed or read off the scale display. */
export function WeighPanel({
  name,
  error,
  onWeight,
  onClose,
}: {
  name: string;
  error: ApiError | undefined;
  onWeight(grams: number): void;
  onClose(): void;
}) {
  const [grams, setGrams] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <section className="panel" aria-label="Weigh">
      <PanelHeader title="Weigh" onClose={onClose} />
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          onWeight(grams.trim() === '' ? Number.NaN : Number(grams));
        }}
      >
        <p className="big">{name}</p>
        <label htmlFor="weight-grams" className="label">
          Weight on the scale, in grams
        </label>
        <input
          id="weight-grams"
          ref={input}
          className="input huge"
          inputMode="numeric"
          autoComplete="off"
          value={grams}
          onChange={(e) => setGrams(e.target.value.replace(/[^\d]/g, ''))}
        />
        <FieldError error={error} />
        <button type="submit" className="btn primary">
          Add <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}
