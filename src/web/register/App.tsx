import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Shift, ShiftReport, TerminalInfo, TillSession } from '../../contracts/index.ts';
import { ApiError, api, apiMaybe, availableRoutes, onSessionLost } from './api.ts';
import { FormatProvider, formatFor } from './format-context.tsx';
import { Register } from './Register.tsx';
import { OpenShiftPanel } from './ShiftPanels.tsx';
import { SignIn } from './SignIn.tsx';
import { TopBar } from './TopBar.tsx';

/** The signed-in session, or null when nobody is (401). */
const currentSession = (): Promise<TillSession | null> =>
  api<TillSession>('GET', '/api/v1/session').catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  });

/**
 * Locks the register after `seconds` without a key, a tap or a click: the till's own idle lock would
 * never fire while the screen polls the sync status, so the screen counts the cashier's activity.
 */
function useIdleLock(seconds: number | undefined, lock: () => void): void {
  useEffect(() => {
    if (!seconds) return;
    let timer = setTimeout(lock, seconds * 1000);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, seconds * 1000);
    };
    const events = ['keydown', 'pointerdown'] as const;
    for (const e of events) window.addEventListener(e, reset, true);
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset, true);
    };
  }, [seconds, lock]);
}

/** The till's screen: the top bar always, then sign-in, the open-shift form or the register. */
export function App() {
  const qc = useQueryClient();
  const session = useQuery({ queryKey: ['session'], queryFn: currentSession, retry: false });
  const [switching, setSwitching] = useState(false);
  useEffect(() => {
    onSessionLost(() => {
      const s = qc.getQueryData<TillSession | null>(['session']);
      qc.setQueryData(['session'], s ? { ...s, locked: true } : null);
    });
    return () => onSessionLost(undefined);
  }, [qc]);
  const signedIn = !!session.data && !session.data.locked && !switching;
  const lock = async (): Promise<void> => {
    await api('POST', '/api/v1/session/lock').catch(() => undefined);
    const s = qc.getQueryData<TillSession | null>(['session']);
    qc.setQueryData(['session'], s ? { ...s, locked: true } : null);
  };
  useIdleLock(signedIn ? session.data?.idleLockSeconds : undefined, () => void lock());
  const terminal = useQuery({
    queryKey: ['terminal'],
    queryFn: () => api<TerminalInfo>('GET', '/api/v1/terminal'),
    refetchInterval: 30_000,
    enabled: signedIn,
  });
  const shift = useQuery({
    queryKey: ['shift'],
    queryFn: () => apiMaybe<Shift>('/api/v1/shifts/current'),
    enabled: signedIn,
  });
  // Parts of the screen (search, discounts, gift cards…) show up when the till's API offers them.
  const routes = useQuery({ queryKey: ['routes'], queryFn: availableRoutes, staleTime: 5 * 60_000 });
  const [lastZ, setLastZ] = useState<ShiftReport>();
  const currency = terminal.data?.store?.currency ?? shift.data?.currency ?? 'EUR';

  const signInView = (
    <SignIn
      locked={
        session.data && !switching
          ? { name: session.data.user.name, code: session.data.user.code }
          : undefined
      }
      onSignedIn={(s) => {
        setSwitching(false);
        qc.setQueryData(['session'], s);
        void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      }}
    />
  );
  // Locked or switching: the sign-in view goes over the register, which keeps its cart and task.
  const over = !signedIn && session.data && shift.data ? signInView : undefined;
  let body: React.ReactNode;
  if (session.isPending) body = <p className="loading">Starting the register…</p>;
  else if (!signedIn && !over) body = signInView;
  else if (shift.isPending || routes.isPending) body = <p className="loading">Starting the register…</p>;
  else if (shift.isError)
    body = <p className="field-error loading">The till does not answer: {String(shift.error.message)}</p>;
  else if (!shift.data)
    body = (
      <OpenShiftPanel
        currency={currency}
        lastZ={lastZ}
        onOpened={(s) => {
          setLastZ(undefined);
          qc.setQueryData(['shift'], s);
        }}
      />
    );
  else
    body = (
      <Register
        shift={shift.data}
        currency={currency}
        routes={routes.data ?? new Set()}
        paused={!signedIn}
        onShiftClosed={(z) => {
          setLastZ(z.report);
          qc.setQueryData(['shift'], null);
        }}
      />
    );

  // Every date, time and amount below is written in the store's locale (a Berlin till: 02.12.2026, 14:05).
  const format = formatFor(terminal.data?.store);
  return (
    <FormatProvider value={format}>
      <div className="app">
        <TopBar
          terminal={terminal.data}
          shift={shift.data ?? undefined}
          session={signedIn ? (session.data ?? undefined) : undefined}
          onLock={() => void lock()}
          onSwitch={() => {
            void lock().then(() => setSwitching(true));
          }}
        />
        {terminal.data && !terminal.data.catalog.loaded ? (
          <p className="banner">
            The catalog has not reached this till yet: items cannot be sold until HQ answers.
          </p>
        ) : null}
        {body}
        {over ? <div className="overlay">{over}</div> : null}
      </div>
    </FormatProvider>
  );
}
