import type { ScopeResponse } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { InventoryPanel } from './InventoryPanel.tsx';
import { PacePanel } from './PacePanel.tsx';
import { TillsPanel } from './TillsPanel.tsx';

export const scopeName = (scope: ScopeResponse, store: string | undefined): string =>
  store
    ? (scope.stores.find((s) => s.id === store)?.name ?? store)
    : scope.user.stores === 'all'
      ? 'whole chain'
      : 'all my stores';

/** The default view, kept clean: how today is going, stock that needs a look, tills that are behind. */
export function OpsView({
  scope,
  store,
}: {
  scope: ScopeResponse;
  store: string | undefined;
  go: (r: Partial<Route>) => void;
}) {
  return (
    <div className="grid" data-testid="ops-view">
      <PacePanel store={store} storeName={scopeName(scope, store)} />
      <InventoryPanel store={store} />
      <TillsPanel store={store} />
    </div>
  );
}
