import type { Grant, GrantScope } from '../../../contracts/index.ts';
import type { ApiError } from '../api.ts';

/**
 * Grants as the People panel shows and edits them: a line of text per grant, and the form's rows (a
 * role and a scope picked from lists) turned into the API's grants.
 */

/** What GET /api/v1/users answers per user (src/apps/hq/users-routes.ts userRow). */
export interface UserRow {
  username: string;
  displayName: string;
  active: boolean;
  grants: Grant[];
}

/** What GET /api/v1/roles answers per role (src/apps/hq/users-routes.ts roleRow). */
export interface RoleRow {
  id: string;
  name: string;
  permissions: string[];
  /** How many grants name this role: a role in use cannot be deleted. */
  grants: number;
}

export type ScopeKind = GrantScope['kind'];

/** One row of the grants editor; `id` is the store or district id, unused for the chain. */
export interface GrantDraft {
  role: string;
  kind: ScopeKind;
  id: string;
}

export function scopeText(scope: GrantScope, storeNames: Readonly<Record<string, string>> = {}): string {
  if (scope.kind === 'chain') return 'chain';
  if (scope.kind === 'district') return `district ${scope.id}`;
  const name = storeNames[scope.id];
  return name ? `store ${scope.id} ${name}` : `store ${scope.id}`;
}

/** "Cashier @ store S001 Hamburg": the role by its name (its id when the role is unknown here). */
export function grantText(
  g: Grant,
  roleNames: Readonly<Record<string, string>> = {},
  storeNames: Readonly<Record<string, string>> = {},
): string {
  return `${roleNames[g.role] ?? g.role} @ ${scopeText(g.scope, storeNames)}`;
}

export const draftOf = (g: Grant): GrantDraft => ({
  role: g.role,
  kind: g.scope.kind,
  id: g.scope.kind === 'chain' ? '' : g.scope.id,
});

/** The API checks the rest (a role that exists, a store that exists, no escalation). */
export const grantOf = (d: GrantDraft): Grant => ({
  role: d.role,
  scope: d.kind === 'chain' ? { kind: 'chain' } : { kind: d.kind, id: d.id.trim() },
});

/**
 * The API's error if it is about this field or a part of it ("grants" takes "grants.0.scope.id"),
 * so each message shows once, next to what it names.
 */
export function errorFor(error: ApiError | null | undefined, field: string): ApiError | undefined {
  const f = error?.field;
  if (!error || f === undefined) return undefined;
  return f === field || f.startsWith(`${field}.`) ? error : undefined;
}

/** An error no field of the form shows: it goes at the form's foot. */
export function unplacedError(
  error: ApiError | null | undefined,
  fields: readonly string[],
): ApiError | undefined {
  if (!error) return undefined;
  return fields.some((f) => errorFor(error, f)) ? undefined : error;
}
