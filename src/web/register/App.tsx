import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Shift, ShiftReport, TerminalInfo } from '../../contracts/index.ts';
import { api, apiMaybe, availableRoutes } from './api.ts';
import { Register } from './Register.tsx';
import { OpenShiftPanel } from './ShiftPanels.tsx';
import { TopBar } from './TopBar.tsx';

/** The till's screen: the top bar always, then either the open-shift form or the register. */
export function App() {
  const qc = useQueryClient();
  const terminal = useQuery({
    queryKey: ['terminal'],
    queryFn: () => api<TerminalInfo>('GET', '/api/v1/terminal'),
    refetchInterval: 30_000,
  });
  const shift = useQuery({ queryKey: ['shift'], queryFn: () => apiMaybe<Shift>('/api/v1/shifts/current') });
  // Parts of the screen (search, discounts, gift cards…) show up when the till's API offers them.
  const routes = useQuery({ queryKey: ['routes'], queryFn: availableRoutes, staleTime: 5 * 60_000 });
  const [lastZ, setLastZ] = useState<ShiftReport>();
  const currency = terminal.data?.store?.currency ?? shift.data?.currency ?? 'EUR';

  let body: React.ReactNode;
  if (shift.isPending || routes.isPending) body = <p className="loading">Starting the register…</p>;
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
        onShiftClosed={(z) => {
          setLastZ(z.report);
          qc.setQueryData(['shift'], null);
        }}
      />
    );

  return (
    <div className="app">
      <TopBar terminal={terminal.data} shift={shift.data ?? undefined} />
      {terminal.data && !terminal.data.catalog.loaded ? (
        <p className="banner">
          The catalog has not reached this till yet: items cannot be sold until HQ answers.
        </p>
      ) : null}
      {body}
    </div>
  );
}
