import type { ScopeResponse, SessionUser } from '../../../contracts/index.ts';
import { useRoles, useUsers } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { ErrorNote, QueryState } from '../ui/QueryState.tsx';
import { AddUserForm } from './AddUserForm.tsx';
import type { RoleRow, UserRow } from './grants.ts';
import { RolesPanel } from './RolesPanel.tsx';
import { UserRowView } from './UserRowView.tsx';

/** Shown to whoever holds manage_users at some store (HQ refuses the rest, and any escalation). */
export const mayManagePeople = (user: SessionUser): boolean => user.permissions.manage_users !== undefined;

/** The districts already named in grants, the signed-in user's first: offered when granting a district. */
function districtsOf(user: SessionUser, users: readonly UserRow[]): string[] {
  const ids = new Set<string>();
  for (const g of [...user.grants, ...users.flatMap((u) => u.grants)])
    if (g.scope.kind === 'district') ids.add(g.scope.id);
  return [...ids];
}

function UsersPanel({
  user,
  scope,
  users,
  roles,
}: {
  user: SessionUser;
  scope: ScopeResponse;
  users: readonly UserRow[];
  roles: readonly RoleRow[];
}) {
  const roleNames = Object.fromEntries(roles.map((r) => [r.id, r.name]));
  const storeNames = Object.fromEntries(scope.stores.map((s) => [s.id, s.name]));
  const districts = districtsOf(user, users);
  const shared = { roles, roleNames, stores: scope.stores, storeNames, districts };
  return (
    <Panel title="People" testId="people-panel" focus="users" wide>
      <div className="table-wrap">
        <table className="table" data-testid="users-table">
          <caption className="sr-only">Users with a grant at a store you manage</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Username</th>
              <th scope="col">Grants</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRowView key={u.username} user={u} {...shared} />
            ))}
          </tbody>
        </table>
      </div>
      <AddUserForm roles={roles} stores={scope.stores} districts={districts} />
    </Panel>
  );
}

/** People, their grants and the roles those grants give. */
export function PeopleView({ user, scope }: { user: SessionUser; scope: ScopeResponse }) {
  const users = useUsers();
  const roles = useRoles();
  return (
    <div className="grid" data-testid="people-view">
      {roles.isError ? (
        <ErrorNote error={roles.error} />
      ) : (
        <QueryState query={users}>
          {(list) =>
            roles.data ? (
              <UsersPanel user={user} scope={scope} users={list} roles={roles.data} />
            ) : (
              <div className="state loading" role="status">
                <span className="spinner" aria-hidden="true" /> Loading…
              </div>
            )
          }
        </QueryState>
      )}
      {roles.data ? (
        <RolesPanel roles={roles.data} editable={user.permissions.manage_users === 'all'} />
      ) : null}
    </div>
  );
}
