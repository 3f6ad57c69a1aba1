import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Named } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { PATHS } from '../queries.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { blankGrant, GrantsEditor } from './GrantsEditor.tsx';
import { errorFor, type GrantDraft, grantOf, type RoleRow, unplacedError } from './grants.ts';

const FIELDS = ['username', 'displayName', 'password', 'grants'] as const;
const LABELS: Record<(typeof FIELDS)[number], string> = {
  username: 'Username',
  displayName: 'Display name',
  password: 'Initial password',
  grants: 'Grants',
};

/** A new person: who they are, a first password they are told in person, and what they may do where. */
export function AddUserForm({
  roles,
  stores,
  districts,
}: {
  roles: readonly RoleRow[];
  stores: readonly Named[];
  districts: readonly string[];
}) {
  const client = useQueryClient();
  const empty = { username: '', displayName: '', password: '' };
  const [form, setForm] = useState(empty);
  const [grants, setGrants] = useState<GrantDraft[]>(() => [blankGrant(roles, stores)]);
  const add = useMutation<unknown, ApiError>({
    mutationFn: () => call('POST', PATHS.users, { ...form, grants: grants.map(grantOf) }),
    onSuccess: () => {
      setForm(empty);
      setGrants([blankGrant(roles, stores)]);
      void client.invalidateQueries({ queryKey: ['users'] });
      void client.invalidateQueries({ queryKey: ['roles'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const input = (k: 'username' | 'displayName' | 'password', type = 'text') => {
    const err = errorFor(add.error, k);
    return (
      <label className="field">
        <span>{LABELS[k]}</span>
        <input
          id={`add-${k}`}
          type={type}
          value={form[k]}
          onChange={(e) => setForm((f) => ({ ...f, [k]: e.target.value }))}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `add-${k}-error` : undefined}
          autoComplete={type === 'password' ? 'new-password' : 'off'}
          required
        />
        <FieldError error={err} id={`add-${k}-error`} />
      </label>
    );
  };
  return (
    <form className="people-form" onSubmit={submit} aria-label="Add a user" data-testid="add-user">
      <h3>Add a user</h3>
      <div className="people-fields">
        {input('username')}
        {input('displayName')}
        {input('password', 'password')}
      </div>
      <GrantsEditor
        idPrefix="add"
        value={grants}
        onChange={setGrants}
        roles={roles}
        stores={stores}
        districts={districts}
        error={errorFor(add.error, 'grants')}
      />
      <FieldError error={unplacedError(add.error, FIELDS)} />
      <button type="submit" className="btn small primary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}
