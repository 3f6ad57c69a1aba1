import type { ScopeResponse, SessionUser } from '../../../contracts/index.ts';
import type { Route } from '../route.ts';
import { Panel } from '../ui/Panel.tsx';

/** Stores and tills: add a store, enroll a till with a one-time code, see and revoke tills. */
export function StoresView(_props: {
  user: SessionUser;
  scope: ScopeResponse;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  return (
    <div className="grid" data-testid="stores-view">
      <Panel title="Stores and tills" wide>
        <p>Coming soon.</p>
      </Panel>
    </div>
  );
}
