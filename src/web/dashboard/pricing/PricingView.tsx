import { useState } from 'react';
import type { ScopeResponse, SessionUser } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { QueryState } from '../ui/QueryState.tsx';
import { CartPreview } from './CartPreview.tsx';
import { PricebookPanel } from './PricebookPanel.tsx';
import { PromotionsPanel } from './PromotionsPanel.tsx';
import { useStores } from './pricingApi.ts';
import type { PromotionForm } from './promotionForm.ts';
import { ScheduledPanel } from './ScheduledPanel.tsx';
import { ZonesPanel } from './ZonesPanel.tsx';

/** Prices and promotions: pricebook entries per chain, zone and store, scheduled changes, promotions, a priced cart preview. */
export function PricingView({
  scope,
}: {
  user: SessionUser;
  scope: ScopeResponse;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  const stores = useStores();
  // The promotion being edited: the cart preview prices it as a draft.
  const [draft, setDraft] = useState<PromotionForm | undefined>();
  return (
    <div className="grid" data-testid="pricing-view">
      <QueryState query={stores} isEmpty={(s) => s.length === 0} empty="No stores to price yet.">
        {(list) => (
          <>
            <PricebookPanel stores={list} currency={scope.currency} />
            <ScheduledPanel stores={list} currency={scope.currency} />
            <ZonesPanel stores={list} />
            <PromotionsPanel stores={list} currency={scope.currency} form={draft} setForm={setDraft} />
            <CartPreview stores={list} draft={draft} />
          </>
        )}
      </QueryState>
    </div>
  );
}
