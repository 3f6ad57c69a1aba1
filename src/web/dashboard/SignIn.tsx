import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { MeResponse } from '../../contracts/index.ts';
import { ApiError, call } from './api.ts';
import { PATHS } from './queries.ts';
import { switchUser } from './session.ts';
import { FieldError } from './ui/QueryState.tsx';

/** Which field an error belongs under: a wrong password is shown under the password. */
function fieldOf(err: ApiError): 'username' | 'password' | 'form' {
  if (err.field === 'username' || err.field === 'password') return err.field;
  if (err.code === 'invalid_credentials') return 'password';
  return 'form';
}

function useCountdown(seconds: number | undefined): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!seconds) return;
    setLeft(seconds);
    const t = setInterval(() => setLeft((s) => (s <= 1 ? 0 : s - 1)), 1000);
    return () => clearInterval(t);
  }, [seconds]);
  return left;
}

export function SignIn() {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => call<MeResponse>('POST', PATHS.signIn, { username, password }),
    onSuccess: (me) => switchUser(client, me),
  });
  const err = signIn.error instanceof ApiError ? signIn.error : undefined;
  const limited = err?.status === 429;
  const wait = useCountdown(limited ? (err?.retryAfterSeconds ?? 60) : undefined);
  const where = err && !limited ? fieldOf(err) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!signIn.isPending && !(limited && wait > 0)) signIn.mutate();
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Tally dashboard</h1>
        <p className="muted">Sign in with your Tally user.</p>
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={where === 'username'}
          aria-describedby="username-error"
          required
          // biome-ignore lint/a11y/noAutofocus: the page has one job; the cursor belongs in its first field
          autoFocus
        />
        <FieldError id="username-error" error={where === 'username' ? err : undefined} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={where === 'password'}
          aria-describedby="password-error"
          required
        />
        <FieldError id="password-error" error={where === 'password' ? err : undefined} />
        {limited ? (
          <p className="field-error" role="alert" data-testid="rate-limited">
            Too many attempts. {wait > 0 ? `Try again in ${wait} s.` : 'You can try again now.'}
          </p>
        ) : null}
        {where === 'form' && err ? <FieldError error={err} /> : null}
        {signIn.error && !err ? <p className="field-error">{String(signIn.error)}</p> : null}
        <button type="submit" className="btn primary" disabled={signIn.isPending || (limited && wait > 0)}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
