import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Manager } from '../../contracts/index.ts';
import { api, type ManagerApproval } from './api.ts';
import { Kbd } from './ui.tsx';

export interface PinRequest {
  message: string;
  field?: string;
  denied?: string;
  resolve(approval: ManagerApproval | null): void;
}

/** The manager who approved last on this screen: the likeliest to approve next. */
let lastManagerId: string | undefined;

/**
 * Approval: the API asked for someone holding a permission, so the approver types their till code (the
 * till's managers are offered) and their PIN here (keyboard or the pad), and the screen sends the same
 * request again with both. The PIN is checked
 * against that manager only, so two managers may share one. A refusal comes back as `denied`, shown
 * right under the PIN.
 */
export function PinPad({ request, onDone }: { request: PinRequest; onDone(): void }) {
  const [pin, setPin] = useState('');
  const managers = useQuery({
    queryKey: ['managers'],
    queryFn: () => api<Manager[]>('GET', '/api/v1/managers'),
  });
  const [typed, setTyped] = useState<string>();
  const list = managers.data ?? [];
  // Any approver's till code may be typed (HQ's people too); the till's local managers are offered.
  const managerId = (typed ?? lastManagerId ?? list[0]?.managerId ?? '').trim() || undefined;
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const answer = (value: ManagerApproval | null) => {
    onDone();
    request.resolve(value);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pin.length > 0 && managerId) {
      lastManagerId = managerId;
      answer({ managerId, pin });
    }
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
        <label htmlFor="manager-id" className="label">
          Approver’s till code
        </label>
        <input
          id="manager-id"
          className="input"
          list="manager-codes"
          autoComplete="off"
          value={managerId ?? ''}
          onChange={(e) => setTyped(e.target.value)}
        />
        <datalist id="manager-codes">
          {list.map((m) => (
            <option key={m.managerId} value={m.managerId}>
              {m.name}
            </option>
          ))}
        </datalist>
        <label htmlFor="manager-pin" className="label">
          Approver PIN
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
          <button type="submit" className="btn primary" disabled={pin.length === 0 || !managerId}>
            Approve <Kbd>Enter</Kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
