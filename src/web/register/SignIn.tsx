import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { TillSession } from '../../contracts/index.ts';
import { ApiError, api } from './api.ts';
import { Kbd } from './ui.tsx';

/**
 * The register's front door: a cashier types their till code and PIN (keyboard or the pad). Shown
 * when nobody is signed in, when the session locked (idle, or the Lock button) and for a switch of
 * cashier; the till checks the PIN itself, offline, and the cart stays where it was.
 */
export function SignIn({
  locked,
  onSignedIn,
}: {
  /** Who was signed in when the register locked, to say so. */
  locked?: { name: string; code: string } | undefined;
  onSignedIn(session: TillSession): void;
}) {
  const [code, setCode] = useState(locked?.code ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const pinInput = useRef<HTMLInputElement>(null);
  useEffect(() => (locked ? pinInput : codeInput).current?.focus(), [locked]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!code || !pin || busy) return;
    setBusy(true);
    try {
      const s = await api<TillSession>('POST', '/api/v1/session', { code, pin });
      setError(undefined);
      onSignedIn(s);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setPin('');
      pinInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  const press = (d: string) => {
    setPin((p) => (d === '⌫' ? p.slice(0, -1) : d === 'C' ? '' : `${p}${d}`.slice(0, 8)));
    pinInput.current?.focus();
  };
  return (
    <form className="modal sign-in" onSubmit={submit} aria-label="Sign in">
      <h2>{locked ? `Locked — ${locked.name} was signed in` : 'Sign in to the register'}</h2>
      <p className="muted">
        {locked
          ? 'Sign in again to go on (the cart is kept), or another cashier takes over.'
          : 'Your till code and PIN.'}
      </p>
      <label htmlFor="sign-in-code" className="label">
        Till code
      </label>
      <input
        id="sign-in-code"
        ref={codeInput}
        className="input huge"
        autoComplete="off"
        value={code}
        onChange={(e) => setCode(e.target.value.trim())}
      />
      <label htmlFor="sign-in-pin" className="label">
        PIN
      </label>
      <input
        id="sign-in-pin"
        ref={pinInput}
        className="input huge pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
        aria-invalid={!!error}
        aria-describedby="sign-in-error"
      />
      {error ? (
        <p className="field-error" role="alert" id="sign-in-error">
          {error}
        </p>
      ) : null}
      <div className="keypad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', '⌫'].map((d) => (
          <button key={d} type="button" className="btn key" onClick={() => press(d)}>
            {d}
          </button>
        ))}
      </div>
      <button type="submit" className="btn primary" disabled={!code || !pin || busy}>
        Sign in <Kbd>Enter</Kbd>
      </button>
    </form>
  );
}
