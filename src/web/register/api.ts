import type { ErrorBody as ApiErrorBody } from '../../contracts/index.ts';

/**
 * The till's API from the browser. Every failure becomes an ApiError carrying the API's
 * `{ error, message, field }`, so the screen can show the message next to the field at fault.
 * Manager override: a 403 `approval_required` asks the approval gate (the PIN pad) for a manager and
 * their PIN and sends the very same request again with `X-Manager-Id` and `X-Manager-PIN`;
 * `approval_denied` asks again, showing why.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The approving manager and their PIN, as the PIN pad gives them. */
export interface ManagerApproval {
  managerId: string;
  pin: string;
}

/** Resolves with a manager and PIN, or null when the cashier gave up. `denied` is the previous refusal. */
export type ApprovalGate = (request: {
  message: string;
  field?: string;
  denied?: string;
}) => Promise<ManagerApproval | null>;

let approvalGate: ApprovalGate | undefined;
export function setApprovalGate(gate: ApprovalGate | undefined): void {
  approvalGate = gate;
}

/**
 * Told when the till answers 401 on `session` (nobody signed in, the session locked or ended), so the
 * screen shows the sign-in view; the request that failed is not retried.
 */
let sessionLost: ((message: string) => void) | undefined;
export function onSessionLost(handler: ((message: string) => void) | undefined): void {
  sessionLost = handler;
}

/** The API's one error body; any part may be missing when a proxy or a crash page answered instead. */
type ErrorBody = Partial<ApiErrorBody>;

/**
 * One spelling for the field at fault: the register says `lines[0].qty`, schema validation says
 * `body.lines.0.qty`; the screen matches `lines.0.qty`.
 */
export function normalizeField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^(body|querystring|params|headers)\./, '');
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy or a crash page): the status says enough
  }
  return new ApiError(
    res.status,
    body.error ?? 'http',
    body.message ?? `${res.status} ${res.statusText}`,
    body.field === undefined ? undefined : normalizeField(body.field),
  );
}

export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  let denied: string | undefined;
  let first: ApiError | undefined;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'The till does not answer. Is it running?');
    }
    if (res.ok) return res;
    const err = await errorOf(res);
    if (err.status === 401 && err.field === 'session' && path !== '/api/v1/session')
      sessionLost?.(err.message);
    const needsPin =
      err.status === 403 && (err.code === 'approval_required' || err.code === 'approval_denied');
    if (!needsPin || !approvalGate) throw err;
    if (err.code === 'approval_required') first ??= err;
    else denied = err.message;
    const approval = await approvalGate({
      message: (first ?? err).message,
      ...((first ?? err).field ? { field: (first ?? err).field } : {}),
      ...(denied ? { denied } : {}),
    });
    if (approval === null)
      throw new ApiError(403, 'approval_cancelled', 'Manager approval cancelled', err.field);
    headers['x-manager-id'] = approval.managerId;
    headers['x-manager-pin'] = approval.pin;
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  return (await res.json()) as T;
}

export async function apiText(path: string): Promise<string> {
  return await (await request('GET', path)).text();
}

/** GET that answers null on 404 (no open shift, a cart that is gone); React Query refuses undefined. */
export async function apiMaybe<T>(path: string): Promise<T | null> {
  try {
    return await api<T>('GET', path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Whether the till's OpenAPI lists a route: parts of the screen appear as the back end grows. */
export async function availableRoutes(): Promise<Set<string>> {
  const doc = await api<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json');
  const out = new Set<string>();
  for (const [p, methods] of Object.entries(doc.paths))
    for (const m of Object.keys(methods)) out.add(`${m.toUpperCase()} ${p}`);
  return out;
}
