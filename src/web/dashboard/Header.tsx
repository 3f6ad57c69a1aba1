import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DEFAULT_ROLES, type ScopeResponse, type SessionUser } from '../../contracts/index.ts';
import { call } from './api.ts';
import { mayEditPricing, mayEditProducts, mayManageStores } from './backoffice.ts';
import { mayViewCustomers } from './customers/customerSearch.ts';
import { readerText } from './customers/customerText.ts';
import { mayManagePeople } from './people/PeopleView.tsx';
import { PATHS } from './queries.ts';
import { type Route, routeHash } from './route.ts';
import { StorePicker } from './StorePicker.tsx';
import { switchUser } from './session.ts';

/** The first grant's role by its default name (a role head office added shows its id). */
const roleName = (user: SessionUser): string =>
  user.role === '' ? 'No role' : (DEFAULT_ROLES[user.role]?.name ?? user.role);

export function Header({
  user,
  scope,
  route,
  go,
}: {
  user: SessionUser;
  scope: ScopeResponse | undefined;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  const client = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => call('POST', PATHS.signOut),
    // Signed out on the server or not, this screen forgets everything it showed.
    onSettled: () => switchUser(client, null),
  });
  const tab = (view: Route['view'], label: string) => (
    <a
      href={routeHash({ view, focus: '', params: route.params.store ? { store: route.params.store } : {} })}
      className={`tab${route.view === view ? ' active' : ''}`}
      aria-current={route.view === view ? 'page' : undefined}
    >
      {label}
    </a>
  );
  return (
    <header className="top">
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <span className="brand">Tally</span>
      <nav className="tabs" aria-label="Views">
        {tab('ops', 'Operations')}
        {tab('insights', 'Insights')}
        {mayEditProducts(user) ? tab('products', 'Products') : null}
        {mayEditPricing(user) ? tab('pricing', 'Prices') : null}
        {mayManageStores(user) ? tab('stores', 'Stores') : null}
        {mayViewCustomers(user) ? tab('customers', readerText().tab) : null}
        {mayManagePeople(user) ? tab('people', 'People') : null}
      </nav>
      {scope ? (
        <StorePicker
          scope={scope}
          value={route.params.store}
          onChange={(store) => go({ params: { ...route.params, store } })}
        />
      ) : null}
      <div className="who" data-testid="who">
        <span className="who-name">{user.displayName}</span>
        <span className="who-role" data-testid="role">
          {roleName(user)}
        </span>
      </div>
      <button
        type="button"
        className="btn ghost"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
      >
        Sign out
      </button>
    </header>
  );
}
