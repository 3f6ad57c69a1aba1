import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Kbd } from './ui.tsx';

export interface PinRequest {
  message: string;
  field?: string;
  denied?: string;
  resolve(pin: string | null): void;
}

/**
 * Manager override: the API asked for approval, so a manager types a PIN here (keyboard or the pad)
 * and the screen sends the same request again with it. A refused PIN comes back as `denied`, shown
 * right under the PIN.
 */
export function PinPad({ request, onDone }: { request: PinRequest; onDone(): void }) {
  const [pin, setPin] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const answer = (value: string | null) => {
    onDone();
    request.resolve(value);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pin.length > 0) answer(pin);
  };
  const press = (d: string) => {
    setPin((p) => (d === '⌫' ? p.slice(0, -1) : d === 'C' ? '' : `${p}${d}`.slice(0, 12)));
    input.current?.focus();
  };
  return (
    <div className="overlay">
      <form
        className="modal pinpad"
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            answer(null);
          }
        }}
        aria-label="Manager approval"
      >
        <h2>Manager approval</h2>
        <p className="approval-reason">{request.message}</p>
        <label htmlFor="manager-pin" className="label">
          Manager PIN
        </label>
        <input
          id="manager-pin"
          ref={input}
          className="input huge pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          aria-invalid={!!request.denied}
          aria-describedby="pin-error"
        />
        {request.denied ? (
          <p className="field-error" role="alert" id="pin-error">
            {request.denied}
          </p>
        ) : null}
        <div className="keypad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', '⌫'].map((d) => (
            <button key={d} type="button" className="btn key" onClick={() => press(d)}>
              {d}
            </button>
          ))}
        </div>
        <div className="row">
          <button type="button" className="btn" onClick={() => answer(null)}>
            Cancel <Kbd>Esc</Kbd>
          </button>
          <button type="submit" className="btn primary" disabled={pin.length === 0}>
            Approve <Kbd>Enter</Kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
