import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SessionUser } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { CustomerProfilePanel } from './CustomerProfilePanel.tsx';
import { CustomerSearchPanel } from './CustomerSearchPanel.tsx';
import type { ErasureReport } from './customerApi.ts';
import { mayMergeCustomers } from './customerSearch.ts';
import { readerText } from './customerText.ts';
import { DuplicatesPanel } from './DuplicatesPanel.tsx';
import { ErasureReportPanel } from './EraseCustomer.tsx';
import './customers.css';

/**
 * Customers across the chain, for whoever may see their personal data over the chain (the tab is not
 * shown to anyone else): search, one profile (its id in the URL, "#/customers?customer=…"), erasure's
 * report, and the duplicate review ("#/customers/duplicates" opens it).
 */
export function CustomersView({
  user,
  route,
  go,
}: {
  user: SessionUser;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  const t = readerText();
  const client = useQueryClient();
  const [report, setReport] = useState<ErasureReport | undefined>();
  const selected = route.params.customer;
  const open = (customer: string) => {
    setReport(undefined);
    go({ focus: 'profile', params: { ...route.params, customer } });
  };
  const erased = (r: ErasureReport) => {
    setReport(r);
    // The person is gone: nothing this screen read about them stays in its cache.
    client.removeQueries({ queryKey: ['customer', r.customerId] });
    void client.invalidateQueries({ queryKey: ['customer-search'] });
    void client.invalidateQueries({ queryKey: ['customer-duplicates'] });
    const { customer: _gone, ...rest } = route.params;
    go({ focus: 'erasure', params: rest });
  };
  return (
    <div className="grid" data-testid="customers-view">
      <CustomerSearchPanel t={t} onOpen={open} />
      {report ? (
        <ErasureReportPanel report={report} t={t} onClose={() => setReport(undefined)} />
      ) : selected ? (
        <CustomerProfilePanel key={selected} id={selected} user={user} t={t} onErased={erased} />
      ) : null}
      <DuplicatesPanel
        t={t}
        mayMerge={mayMergeCustomers(user)}
        startOpen={route.focus === 'duplicates'}
        onOpen={open}
      />
    </div>
  );
}
