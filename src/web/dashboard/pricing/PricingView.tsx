import type { ScopeResponse, SessionUser } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { Panel } from '../ui/Panel.tsx';

/** Prices and promotions: pricebook entries per chain, zone and store, scheduled changes, promotions, a priced cart preview. */
export function PricingView(_props: {
  user: SessionUser;
  scope: ScopeResponse;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  return (
    <div className="grid" data-testid="pricing-view">
      <Panel title="Prices and promotions" wide>
        <p>Coming soon.</p>
      </Panel>
    </div>
  );
}
