import { useState } from 'react';
import {
  type ScopeResponse,
  type SessionUser,
  type StoreChoices,
  type StoreSetup,
  storeFormat,
} from '../../../contracts/index.ts';
import { useStoreChoices, useStoreSetups } from '../queries.ts';
import type { Route } from '../route.ts';
import { Panel } from '../ui/Panel.tsx';
import { ErrorNote, QueryState } from '../ui/QueryState.tsx';
import { StoreForm } from './StoreForm.tsx';
import { StoreTills } from './StoreTills.tsx';

function StoreRow({
  store,
  choices,
  selected,
  onSelect,
}: {
  store: StoreSetup;
  choices: StoreChoices;
  selected: boolean;
  onSelect: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const tax = choices.taxJurisdictions.find((j) => j.id === store.taxJurisdictionId)?.name;
  return (
    <>
      <tr data-testid="store-row" data-store={store.storeId} className={selected ? 'selected' : undefined}>
        <td>
          <code>{store.storeId}</code>
        </td>
        <td>{store.name}</td>
        <td>{store.address}</td>
        <td>
          {store.timeZone} · {store.currency}
        </td>
        <td>{store.locale}</td>
        <td>{tax ?? store.taxJurisdictionId ?? <span className="muted">none</span>}</td>
        <td>{store.zoneId ?? <span className="muted">none</span>}</td>
        <td className="row-actions">
          <button type="button" className="btn small" onClick={onSelect} aria-pressed={selected}>
            Tills
          </button>
          <button type="button" className="btn small" onClick={() => setEditing(!editing)}>
            Edit
          </button>
        </td>
      </tr>
      {editing ? (
        <tr className="row-editor">
          <td colSpan={8}>
            <StoreForm store={store} choices={choices} onDone={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Stores and tills: open a store, change one, enroll a till with a one-time code, revoke a till. */
export function StoresView({
  route,
  go,
}: {
  user: SessionUser;
  scope: ScopeResponse;
  route: Route;
  go: (r: Partial<Route>) => void;
}) {
  const stores = useStoreSetups();
  const choices = useStoreChoices();
  const tillsOf = route.params.tills;
  const tillStore = stores.data?.find((s) => s.storeId === tillsOf);
  const select = (id: string) => go({ params: { ...route.params, tills: id } });
  if (choices.isError) return <ErrorNote error={choices.error} />;
  return (
    <div className="grid" data-testid="stores-view">
      <Panel title="Stores" testId="stores-panel" focus="stores" wide>
        <QueryState query={stores}>
          {(list) =>
            choices.data ? (
              <>
                <div className="table-wrap">
                  <table className="table" data-testid="stores-table">
                    <caption className="sr-only">Stores you manage</caption>
                    <thead>
                      <tr>
                        <th scope="col">Id</th>
                        <th scope="col">Name</th>
                        <th scope="col">Address</th>
                        <th scope="col">Clock and money</th>
                        <th scope="col">Locale</th>
                        <th scope="col">Tax region</th>
                        <th scope="col">Price zone</th>
                        <th scope="col">Actions</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((s) => (
                        <StoreRow
                          key={s.storeId}
                          store={s}
                          choices={choices.data}
                          selected={s.storeId === tillsOf}
                          onSelect={() => select(s.storeId)}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
                <StoreForm choices={choices.data} onDone={(saved) => select(saved.storeId)} />
              </>
            ) : null
          }
        </QueryState>
      </Panel>
      {tillsOf ? (
        <Panel title={`Tills of ${tillsOf}`} testId="tills-admin-panel" focus="tills" wide>
          <StoreTills
            storeId={tillsOf}
            format={storeFormat(tillStore ?? { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
          />
        </Panel>
      ) : null}
    </div>
  );
}
