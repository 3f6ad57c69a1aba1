import type { Named } from '../../../contracts/index.ts';
import type { ApiError } from '../api.ts';
import { FieldError } from '../ui/QueryState.tsx';
import type { GrantDraft, RoleRow, ScopeKind } from './grants.ts';

const KINDS: { value: ScopeKind; label: string }[] = [
  { value: 'store', label: 'Store' },
  { value: 'district', label: 'District' },
  { value: 'chain', label: 'Whole chain' },
];

/** A new row: the first role over the first store, the commonest grant. */
export const blankGrant = (roles: readonly RoleRow[], stores: readonly Named[]): GrantDraft => ({
  role: roles[0]?.id ?? '',
  kind: 'store',
  id: stores[0]?.id ?? '',
});

/**
 * One row per grant: a role and where it applies, each picked from a list (districts are typed, with
 * the ones already granted offered). The API's message about the grants shows under them.
 */
export function GrantsEditor({
  idPrefix,
  value,
  onChange,
  roles,
  stores,
  districts,
  error,
}: {
  idPrefix: string;
  value: GrantDraft[];
  onChange: (next: GrantDraft[]) => void;
  roles: readonly RoleRow[];
  stores: readonly Named[];
  districts: readonly string[];
  error: ApiError | undefined;
}) {
  const set = (i: number, patch: Partial<GrantDraft>) =>
    onChange(value.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const errorId = `${idPrefix}-grants-error`;
  return (
    <fieldset className="grants-editor" aria-describedby={error ? errorId : undefined}>
      <legend>Grants</legend>
      <datalist id={`${idPrefix}-districts`}>
        {districts.map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      {value.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <div className="grant-row" key={i} data-testid="grant-row">
          <label className="picker">
            <span className="picker-label">Role</span>
            <select value={g.role} onChange={(e) => set(i, { role: e.target.value })} aria-label="Role">
              {roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label className="picker">
            <span className="picker-label">Over</span>
            <select
              value={g.kind}
              aria-label="Scope"
              onChange={(e) => {
                const kind = e.target.value as ScopeKind;
                set(i, {
                  kind,
                  id:
                    kind === 'store'
                      ? (stores[0]?.id ?? '')
                      : kind === 'district'
                        ? (districts[0] ?? '')
                        : '',
                });
              }}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          {g.kind === 'store' ? (
            <select value={g.id} onChange={(e) => set(i, { id: e.target.value })} aria-label="Store">
              {stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} {s.name}
                </option>
              ))}
            </select>
          ) : g.kind === 'district' ? (
            <input
              value={g.id}
              onChange={(e) => set(i, { id: e.target.value })}
              list={`${idPrefix}-districts`}
              placeholder="district id"
              aria-label="District"
              maxLength={64}
            />
          ) : null}
          <button
            type="button"
            className="btn small ghost"
            onClick={() => onChange(value.filter((_, j) => j !== i))}
            aria-label={`Remove grant ${i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        onClick={() => onChange([...value, blankGrant(roles, stores)])}
      >
        Add grant
      </button>
      <FieldError error={error} id={errorId} />
    </fieldset>
  );
}
