import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PERMISSION_LABELS, PERMISSIONS, type Permission } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { rolePath } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { FieldError } from '../ui/QueryState.tsx';
import { errorFor, type RoleRow } from './grants.ts';

const invalidate = (client: ReturnType<typeof useQueryClient>) => {
  void client.invalidateQueries({ queryKey: ['roles'] });
  // A role's permissions change what its holders may do, the signed-in user included.
  void client.invalidateQueries({ queryKey: ['me'] });
};

function RoleEditor({ role, editable }: { role: RoleRow; editable: boolean }) {
  const client = useQueryClient();
  const [name, setName] = useState(role.name);
  const [held, setHeld] = useState<ReadonlySet<string>>(() => new Set(role.permissions));
  const save = useMutation<unknown, ApiError>({
    mutationFn: () =>
      call('PUT', rolePath(role.id), { name, permissions: PERMISSIONS.filter((p) => held.has(p)) }),
    onSuccess: () => invalidate(client),
  });
  const remove = useMutation<unknown, ApiError>({
    mutationFn: () => call('DELETE', rolePath(role.id)),
    onSuccess: () => invalidate(client),
  });
  const toggle = (p: Permission) =>
    setHeld((s) => {
      const n = new Set(s);
      if (n.has(p)) n.delete(p);
      else n.add(p);
      return n;
    });
  const dirty =
    name !== role.name || held.size !== role.permissions.length || role.permissions.some((p) => !held.has(p));
  const error = save.error ?? remove.error;
  return (
    <tr data-testid="role-row" data-role={role.id}>
      <th scope="row">
        {editable ? (
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-label={`Name of role ${role.id}`}
            maxLength={100}
          />
        ) : (
          role.name
        )}
        <div>
          <code>{role.id}</code>
        </div>
        <FieldError error={errorFor(error, 'name') ?? errorFor(error, 'id')} />
      </th>
      <td>
        <fieldset className="perm-grid" disabled={!editable}>
          <legend className="sr-only">Permissions of {role.name}</legend>
          {PERMISSIONS.map((p) => (
            <label key={p} className="perm" title={p}>
              <input type="checkbox" checked={held.has(p)} onChange={() => toggle(p)} />
              {PERMISSION_LABELS[p]}
            </label>
          ))}
        </fieldset>
        <FieldError error={errorFor(error, 'permissions')} />
        {error && !['name', 'id', 'permissions'].some((f) => errorFor(error, f)) ? (
          <FieldError error={error} />
        ) : null}
      </td>
      <td>{role.grants}</td>
      {editable ? (
        <td className="row-actions">
          <button
            type="button"
            className="btn small primary"
            disabled={!dirty || save.isPending}
            onClick={() => save.mutate()}
          >
            Save
          </button>
          {role.grants === 0 ? (
            <button
              type="button"
              className="btn small ghost"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Delete
            </button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

function NewRoleForm() {
  const client = useQueryClient();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const add = useMutation<unknown, ApiError>({
    mutationFn: () => call('PUT', rolePath(id.trim()), { name, permissions: [] }),
    onSuccess: () => {
      setId('');
      setName('');
      invalidate(client);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form className="people-form inline" onSubmit={submit} aria-label="New role">
      <label className="field">
        <span>Role id</span>
        <input value={id} onChange={(e) => setId(e.target.value)} placeholder="e.g. night_lead" required />
        <FieldError error={errorFor(add.error, 'id')} />
      </label>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        <FieldError error={errorFor(add.error, 'name')} />
      </label>
      <button type="submit" className="btn small" disabled={add.isPending}>
        New role
      </button>
      {add.error && !errorFor(add.error, 'id') && !errorFor(add.error, 'name') ? (
        <FieldError error={add.error} />
      ) : null}
    </form>
  );
}

/**
 * What each role may do. Head office (manage_users over the chain) edits them; a store manager reads
 * them to know what a grant gives. A role still granted to someone cannot be deleted.
 */
export function RolesPanel({ roles, editable }: { roles: readonly RoleRow[]; editable: boolean }) {
  return (
    <Panel title="Roles" testId="roles-panel" focus="roles" wide>
      <div className="table-wrap">
        <table className="table roles-table">
          <caption className="sr-only">Roles and their permissions</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Permissions</th>
              <th scope="col">Grants</th>
              {editable ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {roles.map((r) => (
              // Keyed by content too, so a saved role starts from what HQ stored.
              <RoleEditor key={`${r.id}:${r.name}:${r.permissions.join(',')}`} role={r} editable={editable} />
            ))}
          </tbody>
        </table>
      </div>
      {editable ? <NewRoleForm /> : null}
    </Panel>
  );
}
