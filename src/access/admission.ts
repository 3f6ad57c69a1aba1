import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { type Principal, resolvePrincipal, resolveSessionPrincipal } from './principal.ts';
import type { AuthenticatedTerminal } from './terminals.ts';
import { bearerToken } from './tokens.ts';

/**
 * The one door of every HQ route. A route says who it admits (`onRequest: gate.admin`, `gate.terminal`,
 * `gate.anyone`, `gate.user`) and reads the caller with `principalOf(req)`; no route file looks at
 * headers or cookies itself. The hooks run on request, before the body is read, so a caller without a
 * valid credential learns nothing from validation errors and costs HQ no parsing. Store scope and role
 * are then checked with the helpers of `principal.ts` against that one `Principal`.
 */
export type Admits = 'admin' | 'terminal' | 'user' | 'anyone';

export type AdmissionHook = (req: FastifyRequest) => Promise<void>;
export type HqGate = Record<Admits, AdmissionHook>;

const principals = new WeakMap<FastifyRequest, Principal>();

/** What a refused caller is told: which credential the route wants. */
const refusal = {
  admin: (hasToken: boolean) =>
    hasToken ? 'invalid admin token' : 'Authorization: Bearer <admin token> is required',
  terminal: (hasToken: boolean) =>
    hasToken
      ? 'unknown terminal token; enroll the terminal again'
      : 'Authorization: Bearer <terminal token> is required',
  user: () => 'not signed in',
  anyone: () => 'sign in, or send Authorization: Bearer <token>',
} satisfies Record<Admits, (hasToken: boolean) => string>;

const admitted = (p: Principal | undefined, who: Admits): p is Principal =>
  p !== undefined && (who === 'anyone' || p.kind === who);

/** An onRequest hook that admits `who` (else 401) and remembers the principal for the handler. */
export function admit(db: HqDb, who: Admits): AdmissionHook {
  return async (req) => {
    // The sign-in screen's own questions ("who am I?") look at the cookie alone.
    const p =
      who === 'user' ? await resolveSessionPrincipal(db, req.headers) : await resolvePrincipal(db, req);
    if (!admitted(p, who))
      throw unauthorized(refusal[who](bearerToken(req.headers.authorization) !== undefined));
    principals.set(req, p);
  };
}

/** The admission hooks of one HQ, built once and handed to every route file. */
export const hqGate = (db: HqDb): HqGate => ({
  admin: admit(db, 'admin'),
  terminal: admit(db, 'terminal'),
  user: admit(db, 'user'),
  anyone: admit(db, 'anyone'),
});

/** The caller a route's admission hook resolved. */
export function principalOf(req: FastifyRequest): Principal {
  const p = principals.get(req);
  if (!p) throw unauthorized();
  return p;
}

/** The till calling a route that admits terminals only. */
export function terminalOf(req: FastifyRequest): AuthenticatedTerminal {
  const t = principalOf(req).terminal;
  if (!t) throw unauthorized('Authorization: Bearer <terminal token> is required');
  return t;
}
