import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Named, PasswordLinkResponse } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { userPath } from '../queries.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { GrantsEditor } from './GrantsEditor.tsx';
import {
  draftOf,
  errorFor,
  type GrantDraft,
  grantOf,
  grantText,
  type RoleRow,
  type UserRow,
} from './grants.ts';
import { PasswordLink } from './PasswordLink.tsx';

type Editing = 'none' | 'grants' | 'password' | 'deactivate' | 'remove';

/** One person: their grants, and the changes a manager makes to them, each opened in place. */
export function UserRowView({
  user,
  roles,
  roleNames,
  stores,
  storeNames,
  districts,
}: {
  user: UserRow;
  roles: readonly RoleRow[];
  roleNames: Record<string, string>;
  stores: readonly Named[];
  storeNames: Record<string, string>;
  districts: readonly string[];
}) {
  const client = useQueryClient();
  const [editing, setEditing] = useState<Editing>('none');
  const [grants, setGrants] = useState<GrantDraft[]>([]);
  const [password, setPassword] = useState('');
  const [link, setLink] = useState<PasswordLinkResponse | undefined>();
  const done = () => {
    setEditing('none');
    void client.invalidateQueries({ queryKey: ['users'] });
    void client.invalidateQueries({ queryKey: ['roles'] });
  };
  const change = useMutation<unknown, ApiError, () => Promise<unknown>>({
    mutationFn: (send) => send(),
    onSuccess: done,
  });
  const open = (e: Editing) => {
    change.reset();
    setLink(undefined);
    setGrants(user.grants.map(draftOf));
    setPassword('');
    setEditing(editing === e ? 'none' : e);
  };
  const saveGrants = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(() => call('PUT', userPath(user.username, '/grants'), { grants: grants.map(grantOf) }));
  };
  const savePassword = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(() => call('POST', userPath(user.username, '/password'), { password }));
  };
  const resetLink = useMutation<PasswordLinkResponse, ApiError>({
    mutationFn: () => call<PasswordLinkResponse>('POST', userPath(user.username, '/password-link')),
    onSuccess: setLink,
  });
  const other = change.error && !errorFor(change.error, 'grants') && !errorFor(change.error, 'password');
  return (
    <>
      <tr
        data-testid="user-row"
        data-username={user.username}
        className={user.active ? undefined : 'inactive'}
      >
        <td>{user.displayName}</td>
        <td>
          <code>{user.username}</code>
        </td>
        <td data-testid="user-grants">
          {user.grants.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="plain">
              {user.grants.map((g) => (
                <li key={`${g.role}@${g.scope.kind}:${g.scope.kind === 'chain' ? '' : g.scope.id}`}>
                  {grantText(g, roleNames, storeNames)}
                </li>
              ))}
            </ul>
          )}
        </td>
        <td>{user.active ? 'active' : <span className="muted">deactivated</span>}</td>
        <td className="row-actions">
          {user.active ? (
            <>
              <button type="button" className="btn small" onClick={() => open('grants')}>
                Change grants
              </button>
              <button type="button" className="btn small" onClick={() => open('password')}>
                Reset password
              </button>
              <button type="button" className="btn small ghost" onClick={() => open('deactivate')}>
                Deactivate
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn small"
              disabled={change.isPending}
              onClick={() => change.mutate(() => call('POST', userPath(user.username, '/reactivate')))}
            >
              Reactivate
            </button>
          )}
          <button type="button" className="btn small ghost" onClick={() => open('remove')}>
            Remove
          </button>
        </td>
      </tr>
      {editing === 'none' ? null : (
        <tr className="row-editor">
          <td colSpan={5}>
            {editing === 'grants' ? (
              <form onSubmit={saveGrants} aria-label={`Grants of ${user.username}`}>
                <GrantsEditor
                  idPrefix={`u-${user.username}`}
                  value={grants}
                  onChange={setGrants}
                  roles={roles}
                  stores={stores}
                  districts={districts}
                  error={errorFor(change.error, 'grants')}
                />
                <button type="submit" className="btn small primary" disabled={change.isPending}>
                  Save grants
                </button>
              </form>
            ) : editing === 'password' ? (
              <form onSubmit={savePassword} aria-label={`New password for ${user.username}`}>
                <label className="field">
                  <span>New password for {user.displayName}</span>
                  <input
                    type="password"
                    autoComplete="new-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    aria-invalid={errorFor(change.error, 'password') ? true : undefined}
                    required
                  />
                  <FieldError error={errorFor(change.error, 'password')} />
                </label>
                <p className="muted">Their sessions end; tell them the new password in person.</p>
                <button type="submit" className="btn small primary" disabled={change.isPending}>
                  Set password
                </button>{' '}
                <button
                  type="button"
                  className="btn small"
                  disabled={resetLink.isPending}
                  onClick={() => resetLink.mutate()}
                >
                  Make a reset link instead
                </button>
                <FieldError error={resetLink.error} />
                {link ? <PasswordLink link={link} /> : null}
              </form>
            ) : editing === 'remove' ? (
              <div data-testid="remove-confirm">
                <p>
                  Remove {user.displayName}? If nothing in the audit log or at the tills names them they are
                  deleted; otherwise they are deactivated, every grant is revoked and they disappear from this
                  list, while history keeps their name.
                </p>
                <button
                  type="button"
                  className="btn small danger"
                  disabled={change.isPending}
                  onClick={() => change.mutate(() => call('DELETE', userPath(user.username, '')))}
                >
                  Remove {user.username}
                </button>
              </div>
            ) : (
              <div>
                <p>{user.displayName} will no longer be able to sign in, and their sessions end.</p>
                <button
                  type="button"
                  className="btn small danger"
                  disabled={change.isPending}
                  onClick={() => change.mutate(() => call('POST', userPath(user.username, '/deactivate')))}
                >
                  Deactivate {user.username}
                </button>
              </div>
            )}
            {other ? <FieldError error={change.error} /> : null}
            <button type="button" className="btn small ghost" onClick={() => setEditing('none')}>
              Cancel
            </button>
          </td>
        </tr>
      )}
    </>
  );
}
