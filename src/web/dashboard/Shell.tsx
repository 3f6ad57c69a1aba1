import type { SessionUser } from '../../contracts/index.ts';
import { mayEditPricing, mayEditProducts, mayManageStores } from './backoffice.ts';
import { CustomersView } from './customers/CustomersView.tsx';
import { mayViewCustomers } from './customers/customerSearch.ts';
import { Header } from './Header.tsx';
import { InsightsView } from './insights/InsightsView.tsx';
import { OpsView } from './ops/OpsView.tsx';
import { mayManagePeople, PeopleView } from './people/PeopleView.tsx';
import { PricingView } from './pricing/PricingView.tsx';
import { ProductsView } from './products/ProductsView.tsx';
import { useScope } from './queries.ts';
import { ALL_STORES, useRoute } from './route.ts';
import { StoresView } from './stores/StoresView.tsx';
import { QueryState } from './ui/QueryState.tsx';
import { useFocusScroll } from './useFocusScroll.ts';

export function Shell({ user }: { user: SessionUser }) {
  const scope = useScope();
  const [route, go] = useRoute();
  useFocusScroll(route, scope.isSuccess);
  return (
    <div className="app">
      <Header user={user} scope={scope.data} route={route} go={go} />
      <main className="content" id="main" tabIndex={-1}>
        <QueryState
          query={scope}
          isEmpty={(s) => s.stores.length === 0}
          empty="You have no stores assigned. Ask head office to add you to a store."
        >
          {(s) => {
            const asked = route.params.store;
            const store = asked === ALL_STORES ? undefined : (asked ?? s.defaultStore ?? undefined);
            if (route.view === 'people' && mayManagePeople(user)) return <PeopleView user={user} scope={s} />;
            const office = { user, scope: s, route, go };
            if (route.view === 'products' && mayEditProducts(user)) return <ProductsView {...office} />;
            if (route.view === 'pricing' && mayEditPricing(user)) return <PricingView {...office} />;
            if (route.view === 'stores' && mayManageStores(user)) return <StoresView {...office} />;
            if (route.view === 'customers' && mayViewCustomers(user))
              return <CustomersView user={user} route={route} go={go} />;
            return route.view === 'insights' ? (
              <InsightsView scope={s} store={store} route={route} go={go} />
            ) : (
              <OpsView scope={s} store={store} go={go} />
            );
          }}
        </QueryState>
      </main>
    </div>
  );
}
