import type { ScopeResponse } from '../../../contracts/index.ts';
import { AuditPanel, mayReadAudit } from '../audit/AuditPanel.tsx';
import type { Route } from '../route.ts';
import { BriefingPanel } from './BriefingPanel.tsx';
import { CustomersPanel } from './CustomersPanel.tsx';
import { DraftsPanel } from './DraftsPanel.tsx';
import { DrillPanel } from './DrillPanel.tsx';
import { ForecastPanel, type ForecastTarget } from './ForecastPanel.tsx';
import { PromotionPerformancePanel } from './PromotionPerformancePanel.tsx';

/**
 * What to do about it: the briefing, a forecast, the drill-down, what promotions did and the orders
 * waiting for a decision;
 * for managers, the audit log of who changed what.
 */
export function InsightsView({
  scope,
  store,
  route,
  go,
}: {
  scope: ScopeResponse;
  store: string | undefined;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  const target: ForecastTarget = { store, sku: route.params.sku, category: route.params.category };
  const show = (t: ForecastTarget) => {
    const params: Record<string, string> = {};
    if (route.params.store) params.store = route.params.store;
    if (t.store) params.store = t.store;
    if (t.sku) params.sku = t.sku;
    if (t.category) params.category = t.category;
    go({ view: 'insights', focus: 'forecast', params });
  };
  return (
    <div className="grid" data-testid="insights-view">
      <BriefingPanel store={store} currency={scope.currency} />
      <DrillPanel store={store} onForecast={show} />
      <div data-focus="forecast" className="anchor wide-slot">
        <ForecastPanel scope={scope} target={target} onCategory={(category) => show({ store, category })} />
      </div>
      <PromotionPerformancePanel store={store} />
      <CustomersPanel store={store} />
      <DraftsPanel scope={scope} />
      {mayReadAudit(scope) ? <AuditPanel scope={scope} /> : null}
    </div>
  );
}
