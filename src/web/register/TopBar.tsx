import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Shift, SyncStatus, TerminalInfo, TillSession } from '../../contracts/index.ts';
import { api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { SyncBanner } from './SyncBanner.tsx';

/**
 * Store, till, cashier, the clock and the sync badge: offline with the count of unsent events; below it
 * the sync banner when sending stopped.
 */
export function TopBar({
  terminal,
  shift,
  session,
  onLock,
  onSwitch,
}: {
  terminal: TerminalInfo | undefined;
  shift: Shift | undefined;
  /** The signed-in cashier; undefined while the sign-in view shows. */
  session?: TillSession | undefined;
  onLock?: () => void;
  onSwitch?: () => void;
}) {
  const sync = useQuery({
    queryKey: ['sync'],
    queryFn: () => api<SyncStatus>('GET', '/api/v1/sync/status'),
    refetchInterval: 2_000,
    retry: false,
    enabled: session !== undefined,
  });
  const now = useClock();
  const fmt = useFormat();
  const tillDown = sync.isError;
  const stopped = sync.data?.state === 'conflict' || sync.data?.state === 'revoked';
  const offline = tillDown || stopped || !!sync.data?.lastError;
  const pending = sync.data?.pending ?? 0;
  const label = tillDown
    ? 'Till not answering'
    : stopped
      ? 'Sync stopped'
      : offline
        ? 'Offline'
        : pending > 0
          ? 'Sending'
          : 'Online';
  return (
    <>
      <header className="topbar">
        <div className="brand">
          <span className="logo">Tally</span>
          <span className="store">{terminal?.store?.name ?? terminal?.storeId ?? '…'}</span>
          <span className="till">Till {terminal?.terminalId ?? '…'}</span>
        </div>
        <div className="who">
          {session ? (
            <>
              <span className="cashier" data-testid="signed-in">
                {session.user.name} ({session.user.code})
              </span>
              <button type="button" className="btn small" onClick={onSwitch}>
                Switch cashier
              </button>
              <button type="button" className="btn small" onClick={onLock}>
                Lock
              </button>
            </>
          ) : null}
          {shift ? (
            <span className="muted">shift since {fmt.time(shift.openedAt)}</span>
          ) : (
            <span className="muted">No shift open</span>
          )}
        </div>
        <output
          className={`sync-badge ${offline ? 'offline' : pending > 0 ? 'pending' : 'online'}`}
          title={sync.data?.lastError ?? (sync.data?.lastSyncAt ? `last sent ${sync.data.lastSyncAt}` : '')}
          data-testid="sync-badge"
        >
          <span className="dot" aria-hidden="true" />
          {label}
          <span className="count" data-testid="unsent">
            {pending} unsent
          </span>
        </output>
        <time className="clock" data-testid="clock" dateTime={now.toISOString()}>
          {fmt.date(now)} {fmt.time(now)}
        </time>
      </header>
      <SyncBanner status={sync.data} />
    </>
  );
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(t);
  }, []);
  return now;
}
