import { type RemoteCustomerLookup, remoteCustomerSchema } from '../remote-customers.ts';

/** The till's HTTP line for remote customer lookups (GET /api/v1/customers/lookup, terminal token). */
export function hqCustomerLookup(opts: {
  hqUrl: string;
  fetch: typeof fetch;
  token: () => string;
  timeoutMs: number;
}): RemoteCustomerLookup {
  return async (q) => {
    const url = new URL(`${opts.hqUrl.replace(/\/$/, '')}/api/v1/customers/lookup`);
    if (q.phone) url.searchParams.set('phone', q.phone);
    else if (q.email) url.searchParams.set('email', q.email);
    else if (q.cardNumber) url.searchParams.set('card', q.cardNumber);
    else return undefined;
    try {
      const res = await opts.fetch(url, {
        headers: { authorization: `Bearer ${opts.token()}`, accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (!res.ok) return undefined;
      const parsed = remoteCustomerSchema.safeParse(await res.json());
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
}
