/**
 * A till's JSON POST to one of HQ's authorities (gift cards, loyalty, promotion uses). Anything that is
 * not an answer HQ stands behind — no connection, a timeout, a 5xx, a 401 or a body that is not JSON —
 * is thrown as the caller's "unreachable" error, so the caller falls back to its offline rules.
 */
export interface HqPostOptions {
  hqUrl: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export function hqPoster(
  opts: HqPostOptions,
  unreachable: (message: string) => Error,
): (path: string, body: unknown) => Promise<{ status: number; body: unknown }> {
  const doFetch = opts.fetch ?? fetch;
  const base = `${opts.hqUrl.replace(/\/$/, '')}/api/v1`;
  return async (path, body) => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      throw unreachable(err instanceof Error ? err.message : String(err));
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 500 || res.status === 401)
      throw unreachable(`HQ answered ${res.status}: ${text.slice(0, 200)}`);
    try {
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      throw unreachable(`HQ answered ${res.status} with a body that is not JSON`);
    }
  };
}
