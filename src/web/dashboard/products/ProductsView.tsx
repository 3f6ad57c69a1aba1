import type { ScopeResponse, SessionUser } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { Panel } from '../ui/Panel.tsx';

/** Products: list, search and filters, create and edit, archive, bulk price change, CSV import. */
export function ProductsView(_props: {
  user: SessionUser;
  scope: ScopeResponse;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  return (
    <div className="grid" data-testid="products-view">
      <Panel title="Products" wide>
        <p>Coming soon.</p>
      </Panel>
    </div>
  );
}
