/**
 * HQ's API from the browser, signed in by the session cookie (httpOnly, so never read here). Every
 * failure becomes an ApiError carrying the API's `{ error, message, field }`, so the screen can show the
 * message next to the field at fault; 429 also carries how long to wait.
 */
import { API_BASE } from '../../contracts/index.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: string;
  message?: string;
  field?: string;
}

/** `body.username` from schema validation and `username` from a route both mean the field `username`. */
export const normalizeField = (field: string): string =>
  field.replace(/\[(\d+)\]/g, '.$1').replace(/^(body|querystring|params|headers)[./]/, '');

async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy or a crash page): the status says enough
  }
  const retry = Number(res.headers.get('retry-after'));
  return new ApiError(
    res.status,
    body.error ?? 'http',
    body.message ?? `${res.status} ${res.statusText}`,
    body.field === undefined ? undefined : normalizeField(body.field),
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path.startsWith('/') ? path : `${API_BASE}/${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'HQ does not answer. Check the connection and try again.');
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string): Promise<T> => call<T>('GET', path);

/** A query string from the defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
