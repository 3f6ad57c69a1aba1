import { hostname } from 'node:os';
import { sendError } from '../shared/error-handler.ts';
import type { App } from '../shared/http.ts';

/**
 * Which requests the register API answers at all. A web page anywhere can make the register's own
 * browser send requests to the till (DNS rebinding: its name resolves to 127.0.0.1 after the page
 * loaded), and a till bound to 0.0.0.0 hears the whole store network; neither should issue a gift
 * card or read a customer. So the till answers only requests that name a host it knows (421
 * otherwise), and takes from browsers only requests whose Origin is one of those hosts (403
 * otherwise). The cashier's signed-in session comes later; this is the wall it will stand behind.
 */
export interface HostPolicy {
  /** Lower-case host names and addresses, IPv6 without brackets, no ports. */
  hosts: ReadonlySet<string>;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** The hosts a till answers to: loopback, the address it is bound to, its hostname, and the configured ones. */
export function hostPolicy(opts: {
  boundHost?: string | undefined;
  allowedHosts?: readonly string[];
}): HostPolicy {
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  const bound = normalizeHost(opts.boundHost ?? '');
  if (bound && !WILDCARDS.has(bound)) hosts.add(bound);
  const machine = normalizeHost(hostname());
  if (machine) hosts.add(machine);
  for (const h of opts.allowedHosts ?? []) {
    const n = normalizeHost(h);
    if (n) hosts.add(n);
  }
  return { hosts };
}

/** `Till-3.lan:4101` → `till-3.lan`; `[::1]:4101` → `::1`; a trailing dot goes. */
export function normalizeHost(raw: string): string {
  let h = raw.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  else if (h.split(':').length === 2) h = h.slice(0, h.indexOf(':'));
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Refusal {
  status: 421 | 403;
  body: { error: string; message: string; field: string };
}

const CONFIGURE = 'add it to allowedHosts in the till’s register.json or start it with --allowed-hosts';

/** Why a request must not be answered, or undefined when it may be. */
export function refusal(
  req: { method: string; headers: Record<string, string | string[] | undefined> },
  policy: HostPolicy,
): Refusal | undefined {
  const hostHeader = req.headers.host;
  const host = typeof hostHeader === 'string' ? normalizeHost(hostHeader) : '';
  if (!policy.hosts.has(host)) {
    return {
      status: 421,
      body: {
        error: 'misdirected',
        message: `Host: this till does not answer to "${host || '(none)'}"; if that is how the store reaches it, ${CONFIGURE}`,
        field: 'Host',
      },
    };
  }
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    if (!originAllowed(origin, policy))
      return {
        status: 403,
        body: {
          error: 'forbidden_origin',
          message: `Origin: pages from "${origin}" may not use this till; if that is the register screen's address, ${CONFIGURE}`,
          field: 'Origin',
        },
      };
  } else if (!SAFE_METHODS.has(req.method) && req.headers['sec-fetch-site'] === 'cross-site') {
    // A browser that sent no Origin but says the request comes from another site.
    return {
      status: 403,
      body: {
        error: 'forbidden_origin',
        message: 'Origin: a page from another site may not change anything on this till',
        field: 'Origin',
      },
    };
  }
  return undefined;
}

function originAllowed(origin: string, policy: HostPolicy): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && policy.hosts.has(normalizeHost(u.host));
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage
  }
}

/** Refuses, before any route runs, requests to an unknown host or from a foreign page. */
export function guardHostAndOrigin(app: App, policy: HostPolicy): void {
  app.addHook('onRequest', async (req, reply) => {
    const r = refusal(req, policy);
    if (r) return sendError(reply, r.status, r.body);
  });
}
