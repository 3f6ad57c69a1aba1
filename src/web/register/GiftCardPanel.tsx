import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Balance, GiftCardResult } from '../../contracts/index.ts';
import { parseAmount } from './amount-input.ts';
import { ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { Slip } from './Slip.tsx';
import { AmountField, Choice, FieldError, isAbout, Kbd, PanelHeader } from './ui.tsx';

type Task = 'balance' | 'sell' | 'load';
const TASKS: { value: Task; label: string }[] = [
  { value: 'balance', label: 'Balance' },
  { value: 'sell', label: 'Sell a card' },
  { value: 'load', label: 'Top up' },
];

/**
 * Gift cards outside a sale: check a balance (a card or a store-credit voucher), sell a new card or top
 * one up, paid in cash or by card. A scanned card lands in the card field.
 */
export function GiftCardPanel({
  currency,
  onClose,
  setScanTarget,
}: {
  currency: string;
  onClose(): void;
  setScanTarget(fn: ((code: string) => void) | undefined): void;
}) {
  const fmt = useFormat();
  const [task, setTask] = useState<Task>('balance');
  const [code, setCode] = useState('');
  const [amount, setAmount] = useState('');
  const [pay, setPay] = useState<'cash' | 'card'>('cash');
  const [error, setError] = useState<ApiError>();
  const [balance, setBalance] = useState<Balance>();
  const [sold, setSold] = useState<GiftCardResult>();
  const codeInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setScanTarget((c) => setCode(c));
    return () => setScanTarget(undefined);
  }, [setScanTarget]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus the card field when the task changes
  useEffect(() => codeInput.current?.focus(), [task]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setBalance(undefined);
    setSold(undefined);
    try {
      if (task === 'balance') {
        setBalance(await api<Balance>('POST', '/api/v1/gift-cards/balance', { code: code.trim() }));
        return;
      }
      const amountMinor = parseAmount(amount, currency);
      if (amountMinor === undefined || amountMinor <= 0) {
        setError(new ApiError(400, 'validation', 'Type an amount such as 25.00', 'amountMinor'));
        return;
      }
      const tenders = [
        pay === 'cash' ? { kind: 'cash', tenderedMinor: amountMinor } : { kind: 'card', amountMinor },
      ];
      const path = task === 'sell' ? '/api/v1/gift-cards' : '/api/v1/gift-cards/load';
      setSold(
        await api<GiftCardResult>('POST', path, {
          amountMinor,
          tenders,
          ...(code.trim() ? { code: code.trim() } : {}),
        }),
      );
      setAmount('');
    } catch (err) {
      setError(err as ApiError);
    }
  };

  return (
    <section className="panel" aria-label="Gift card">
      <PanelHeader title="Gift card" onClose={onClose} />
      <Choice
        legend="Task"
        options={TASKS}
        chosen={task}
        onChoose={(t) => {
          setTask(t);
          setError(undefined);
        }}
      />
      <form onSubmit={submit} className="stack">
        <label htmlFor="gift-code" className="label">
          {task === 'sell' ? 'Card number (pre-printed card; empty: a new number)' : 'Card number (scan it)'}
        </label>
        <input
          id="gift-code"
          ref={codeInput}
          className="input"
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <FieldError error={error} fields={['code']} />
        {task !== 'balance' ? (
          <>
            <AmountField
              id="gift-amount"
              label="Amount"
              value={amount}
              onChange={setAmount}
              error={error}
              field="amountMinor"
            />
            <Choice
              legend="Paid with"
              options={[
                { value: 'cash', label: 'Paid in cash' },
                { value: 'card', label: 'Paid by card' },
              ]}
              chosen={pay}
              onChoose={setPay}
            />
          </>
        ) : null}
        {error && !isAbout(error, ['code', 'amountMinor']) ? <FieldError error={error} /> : null}
        <button type="submit" className="btn primary">
          {task === 'balance' ? 'Check balance' : task === 'sell' ? 'Sell card' : 'Top up'} <Kbd>Enter</Kbd>
        </button>
      </form>
      {balance ? (
        <div className="due" data-testid="gift-balance">
          <span>
            {balance.kind === 'gift_card' ? 'Gift card' : 'Store credit'} ••••{balance.last4}
          </span>
          <output>{fmt.money(balance.balanceMinor, balance.currency)}</output>
        </div>
      ) : null}
      {sold ? (
        <div className="stack">
          <div className="change">
            <span>Card ••••{sold.last4} balance</span>
            <output>{fmt.money(sold.balanceMinor, sold.currency)}</output>
          </div>
          {sold.code ? (
            <p className="warning">
              New card number <strong data-testid="gift-code">{sold.code}</strong>: shown once, write it on
              the card.
            </p>
          ) : null}
          <Slip
            path={`/api/v1/gift-cards/receipts/${sold.eventId}?format=text`}
            testId="gift-slip"
            label="Gift card slip"
          />
        </div>
      ) : null}
    </section>
  );
}
