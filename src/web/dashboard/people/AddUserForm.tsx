import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { MeResponse, Named, PasswordLinkResponse } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { PATHS } from '../queries.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { blankGrant, GrantsEditor } from './GrantsEditor.tsx';
import { errorFor, type GrantDraft, grantOf, type RoleRow, unplacedError } from './grants.ts';
import { PasswordLink } from './PasswordLink.tsx';

const FIELDS = ['username', 'displayName', 'password', 'grants'] as const;
const LABELS: Record<(typeof FIELDS)[number], string> = {
  username: 'Username',
  displayName: 'Display name',
  password: 'Initial password',
  grants: 'Grants',
};

/**
 * A new person: who they are, what they may do where, and how they get a password: a first password
 * told in person, or an invite link with which they choose their own (nobody else ever knows it).
 */
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
  const [how, setHow] = useState<'password' | 'invite'>('password');
  const [link, setLink] = useState<PasswordLinkResponse | undefined>();
  const add = useMutation<unknown, ApiError>({
    mutationFn: async () => {
      if (how === 'password') return call('POST', PATHS.users, { ...form, grants: grants.map(grantOf) });
      const { username, displayName } = form;
      const r = await call<MeResponse & { link: PasswordLinkResponse }>('POST', `${PATHS.users}/invite`, {
        username,
        displayName,
        grants: grants.map(grantOf),
      });
      setLink(r.link);
      return r;
    },
    onSuccess: () => {
      setForm(empty);
      setGrants([blankGrant(roles, stores)]);
      void client.invalidateQueries({ queryKey: ['users'] });
      void client.invalidateQueries({ queryKey: ['roles'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLink(undefined);
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
        {how === 'password' ? input('password', 'password') : null}
      </div>
      <fieldset className="choice" aria-label="How they get a password">
        <label>
          <input
            type="radio"
            name="add-how"
            checked={how === 'password'}
            onChange={() => setHow('password')}
          />{' '}
          I give them a first password
        </label>
        <label>
          <input
            type="radio"
            name="add-how"
            id="add-invite"
            checked={how === 'invite'}
            onChange={() => setHow('invite')}
          />{' '}
          They choose it with a one-time invite link (72 h)
        </label>
      </fieldset>
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
        {add.isPending ? 'Adding…' : how === 'invite' ? 'Invite user' : 'Add user'}
      </button>
      {link ? <PasswordLink link={link} /> : null}
    </form>
  );
}
