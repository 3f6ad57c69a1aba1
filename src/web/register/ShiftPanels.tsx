import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Shift, ShiftClosedResult, ShiftReport } from '../../contracts/index.ts';
import { parseAmount } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { countTotal, denominationsOf } from './denominations.ts';
import { useFormat } from './format-context.tsx';
import { ReportView } from './ReportView.tsx';
import { AmountField, FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

/** Start of the day: who is at the till and the float in the drawer. */
export function OpenShiftPanel({
  currency,
  lastZ,
  onOpened,
}: {
  currency: string;
  lastZ: ShiftReport | undefined;
  onOpened(s: Shift): void;
}) {
  const [float, setFloat] = useState('');
  const [error, setError] = useState<ApiError>();
  // The shift's cashier is whoever signed in; the float is all there is to type.
  useEffect(() => document.getElementById('float')?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const openingFloatMinor = float.trim() === '' ? 0 : parseAmount(float, currency);
    if (openingFloatMinor === undefined) {
      setError(
        new ApiError(400, 'validation', 'Type the float as an amount, such as 100.00', 'openingFloatMinor'),
      );
      return;
    }
    try {
      onOpened(await api<Shift>('POST', '/api/v1/shifts', { openingFloatMinor }));
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="open-shift">
      <form className="panel card" onSubmit={submit} aria-label="Open shift">
        <PanelHeader title="Open shift" />
        <AmountField
          id="float"
          label="Opening float in the drawer"
          placeholder="0.00"
          value={float}
          onChange={setFloat}
          error={error}
          field="openingFloatMinor"
        />
        {error && !isAbout(error, ['cashierId', 'openingFloatMinor']) ? <FieldError error={error} /> : null}
        <button type="submit" className="btn primary">
          Open shift <Kbd>Enter</Kbd>
        </button>
      </form>
      {lastZ ? (
        <section className="panel card z-report" aria-label="Last Z report">
          <ReportView report={lastZ} />
        </section>
      ) : null}
    </div>
  );
}

/** X report: the shift so far, read-only. */
export function XReportPanel({ onClose }: { onClose(): void }) {
  const report = useQuery({
    queryKey: ['x-report'],
    queryFn: () => api<ShiftReport>('GET', '/api/v1/shifts/current/x-report'),
    gcTime: 0,
  });
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <section className="panel" aria-label="X report">
      <PanelHeader title="X report" onClose={onClose} />
      {report.data ? <ReportView report={report.data} /> : null}
      <FieldError error={report.error as ApiError | undefined} />
      <button type="button" ref={back} className="btn" onClick={onClose}>
        Back to sale <Kbd>Enter</Kbd>
      </button>
    </section>
  );
}

/**
 * Close the shift: a blind count by denomination (the expected amount is not shown until the Z report),
 * then the numbered Z report with the difference.
 */
export function CloseShiftPanel({
  currency,
  openCart,
  onClosed,
  onClose,
}: {
  currency: string;
  openCart: boolean;
  onClosed(z: ShiftClosedResult): void;
  onClose(): void;
}) {
  const fmt = useFormat();
  const values = denominationsOf(currency);
  const [counts, setCounts] = useState<Record<number, string>>({});
  const [total, setTotal] = useState('');
  const [error, setError] = useState<ApiError>();
  const [sending, setSending] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const denominations = (values ?? []).flatMap((v) => {
    const n = Number(counts[v] || 0);
    return n ? [{ valueMinor: v, count: n }] : [];
  });
  const counted = values ? countTotal(denominations) : (parseAmount(total, currency) ?? 0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSending(true);
    setError(undefined);
    try {
      const body = values ? { counted: { denominations } } : { countedCashMinor: counted };
      onClosed(await api<ShiftClosedResult>('POST', '/api/v1/shifts/current/close', body));
    } catch (err) {
      setError(err as ApiError);
      setSending(false);
    }
  };
  return (
    <section className="panel" aria-label="Close shift">
      <PanelHeader title="Close shift" hint="count the drawer" onClose={onClose} />
      {openCart ? <p className="warning">A sale is still open: finish, park or void it first.</p> : null}
      <form onSubmit={submit} className="stack">
        {values ? (
          <div className="denoms">
            {values.map((v, i) => (
              <label key={v} className="denom">
                <span>{fmt.money(v, currency)}</span>
                <input
                  ref={i === 0 ? first : undefined}
                  className="input"
                  inputMode="numeric"
                  autoComplete="off"
                  aria-label={`Count of ${fmt.money(v, currency)}`}
                  value={counts[v] ?? ''}
                  placeholder="0"
                  onChange={(e) => setCounts((c) => ({ ...c, [v]: e.target.value.replace(/\D/g, '') }))}
                />
              </label>
            ))}
          </div>
        ) : (
          <>
            <label htmlFor="counted-total" className="label">
              Cash counted
            </label>
            <input
              id="counted-total"
              ref={first}
              className="input huge"
              inputMode="decimal"
              value={total}
              onChange={(e) => setTotal(e.target.value)}
            />
          </>
        )}
        <div className="due">
          <span>Counted</span>
          <output data-testid="counted">{fmt.money(counted, currency)}</output>
        </div>
        <FieldError error={error} />
        <button type="submit" className="btn primary danger-outline" disabled={sending}>
          Close shift and print Z report <Kbd>Enter</Kbd>
        </button>
      </form>
    </section>
  );
}
