import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { SET_PASSWORD_VIEW } from '../../contracts/index.ts';
import { ApiError, call } from './api.ts';
import { STORE_PATHS } from './queries.ts';
import { FieldError } from './ui/QueryState.tsx';

/** The token of a set-password link ("#/set-password?token=…"), or undefined on any other page. */
export function setPasswordToken(hash: string): string | undefined {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = h.split('?');
  if (path !== SET_PASSWORD_VIEW) return undefined;
  return new URLSearchParams(query).get('token') ?? '';
}

/**
 * Where an invite or reset link lands: the person chooses their password (twice, so a typo does not lock
 * them out), HQ sets it and voids the link, and they go on to sign in with it.
 */
export function SetPassword({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const set = useMutation<{ username: string }, ApiError>({
    mutationFn: () => call('POST', STORE_PATHS.setPassword, { token, password }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== again);
    if (password === again) set.mutate();
  };
  const err = set.error instanceof ApiError ? set.error : undefined;
  if (set.data)
    return (
      <main className="sign-in">
        <div className="sign-in-card" data-testid="password-set">
          <h1>Password set</h1>
          <p>
            You can now sign in as <strong>{set.data.username}</strong>.
          </p>
          <a className="btn primary" href="#/ops">
            Sign in
          </a>
        </div>
      </main>
    );
  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} noValidate aria-labelledby="set-password-title">
        <h1 id="set-password-title">Choose your password</h1>
        <p className="muted">At least 8 characters. Nobody else will know it.</p>
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={err?.field === 'password'}
          aria-describedby="new-password-error"
          required
        />
        <FieldError id="new-password-error" error={err?.field === 'password' ? err : undefined} />
        <label htmlFor="new-password-again">The same again</label>
        <input
          id="new-password-again"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          aria-invalid={mismatch}
          required
        />
        {mismatch ? (
          <p className="field-error" role="alert">
            The two passwords differ.
          </p>
        ) : null}
        {err && err.field !== 'password' ? <FieldError id="token-error" error={err} /> : null}
        <button type="submit" className="btn primary" disabled={set.isPending}>
          {set.isPending ? 'Saving…' : 'Set password'}
        </button>
      </form>
    </main>
  );
}
