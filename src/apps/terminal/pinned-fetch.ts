import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';

/**
 * `fetch` for the till's calls to HQ that trusts only the CA it is given (`--hq-ca`): a private CA's
 * certificate, or HQ's self-signed one. Built on node:https with `ca`, because Node's global fetch takes
 * a custom CA only through an undici Agent, and undici is not one of Tally's dependencies. It covers
 * what the till sends (method, headers, a string or byte body, an abort signal) and fails the way
 * fetch fails (`TypeError('fetch failed')` with the system error as `cause`), so callers cannot tell.
 */
export function pinnedFetch(ca: string | Buffer): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:')
      return Promise.reject(
        new TypeError('fetch failed', {
          cause: {
            code: 'ERR_HQ_NOT_HTTPS',
            message: `--hq-ca pins HQ's certificate, but ${url.origin} is not https`,
          },
        }),
      );
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array))
      return Promise.reject(new TypeError('pinnedFetch sends string or byte bodies only'));
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        { method: init?.method ?? 'GET', headers, ca, ...(init?.signal ? { signal: init.signal } : {}) },
        (res) => collect(res).then(resolve, reject),
      );
      req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
      req.end(body ?? undefined);
    });
  }) as typeof fetch;
}

async function collect(res: IncomingMessage): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const status = res.statusCode ?? 502;
  const noBody = status === 204 || status === 304;
  return new Response(noBody ? null : Buffer.concat(chunks), {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
}
