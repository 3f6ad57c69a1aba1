import type { App } from '../../src/apps/shared/http.ts';

/**
 * The two ways tests talk to Tally's HTTP APIs, written once: `inject` into an app in the test's own
 * process (the answer's status, its JSON or text body, and the raw reply for headers), and
 * `fetchJson` to a server in a child process, which throws with the route and the answer when the
 * status is not 2xx, so a step that fails says where.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function inject(
  app: App,
  method: Method,
  url: string,
  payload?: object,
  headers?: Record<string, string>,
) {
  const raw = await app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    ...(headers ? { headers } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the route answered, as fastify's json() does
  const body: any = String(raw.headers['content-type']).includes('json') ? raw.json() : raw.body;
  return { status: raw.statusCode, body, raw };
}

export async function fetchJson<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}
