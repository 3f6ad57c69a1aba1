import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Principal, resolvePrincipal } from '../../access/principal.ts';
import { createSession, endSession, SESSION_TTL_MS } from '../../access/sessions.ts';
import { checkPassword } from '../../access/users.ts';
import { meResponse, SESSION_COOKIE, signInBody, signOutResponse } from '../../contracts/access.ts';
import { errorBody } from '../../contracts/api.ts';
import { DASHBOARD_PATHS } from '../../contracts/dashboard.ts';
import { unauthorized } from '../../core/errors.ts';
import type { HqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';

/** Five tries a minute per address and username: enough for typos, far too few for guessing. */
export const SIGN_IN_LIMIT = { max: 5, windowMs: 60_000 };

/** Fixed-window counters, in memory: one HQ process serves sign-in, and a restart forgiving is fine. */
export function signInLimiter(opts = SIGN_IN_LIMIT, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts a try; returns the seconds to wait when over the limit, else undefined. */
    hit(key: string): number | undefined {
      const t = now();
      if (windows.size > 10_000)
        for (const [k, w] of windows) if (t - w.start >= opts.windowMs) windows.delete(k);
      let w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count > opts.max ? Math.max(1, Math.ceil((w.start + opts.windowMs - t) / 1000)) : undefined;
    },
  };
}

/** The session cookie's value from the Cookie header (no plugin needed for one httpOnly cookie). */
export function sessionCookie(req: Pick<FastifyRequest, 'headers'>): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const cookieHeader = (value: string, maxAgeSeconds: number, secure: boolean): string =>
  [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');

const principals = new WeakMap<FastifyRequest, Principal>();

/** onRequest hook: any credential (admin token, till token, session cookie), else 401. */
export const requirePrincipal =
  (db: HqDb) =>
  async (req: FastifyRequest): Promise<void> => {
    const p = await resolvePrincipal(db, {
      headers: req.headers,
      cookies: { [SESSION_COOKIE]: sessionCookie(req) },
    });
    if (!p) throw unauthorized('sign in, or send Authorization: Bearer <token>');
    principals.set(req, p);
  };

export function principalOf(req: FastifyRequest): Principal {
  const p = principals.get(req);
  if (!p) throw unauthorized();
  return p;
}

/**
 * Sign-in for the dashboard: a password becomes an httpOnly, SameSite=Strict session cookie (12 h,
 * renewed while used). Wrong name and wrong password get the same 401; repeated tries get 429.
 */
export function registerAuthRoutes(app: App, db: HqDb, opts: { secureCookie?: boolean } = {}): void {
  const limiter = signInLimiter();
  // Secure when HQ is reached over HTTPS (directly or behind a proxy that says so), so http://localhost works.
  const secureFor = (req: FastifyRequest): boolean =>
    opts.secureCookie ?? (req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https');
  const denied = (reply: FastifyReply) =>
    reply.status(401).send({ error: 'invalid_credentials', message: 'wrong username or password' });

  app.post(
    DASHBOARD_PATHS.signIn,
    {
      schema: {
        summary: 'Sign in with username and password; sets the session cookie',
        body: signInBody,
        response: { 200: meResponse, 401: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const wait = limiter.hit(`${req.ip}\u0000${req.body.username.toLowerCase()}`);
      if (wait !== undefined) {
        req.log.warn({ username: req.body.username, ip: req.ip }, 'sign-in rate limited');
        return reply
          .status(429)
          .header('retry-after', String(wait))
          .send({ error: 'rate_limited', message: `too many sign-in attempts; try again in ${wait} s` });
      }
      const user = await checkPassword(db, req.body.username, req.body.password);
      if (!user) {
        req.log.info({ username: req.body.username, ip: req.ip }, 'sign-in refused');
        return denied(reply);
      }
      const token = await createSession(db, user.username);
      req.log.info({ username: user.username, role: user.role }, 'signed in');
      return reply
        .header('set-cookie', cookieHeader(token, SESSION_TTL_MS / 1000, secureFor(req)))
        .send({ user });
    },
  );

  app.post(
    DASHBOARD_PATHS.signOut,
    { schema: { summary: 'End the session and clear its cookie', response: { 200: signOutResponse } } },
    async (req, reply) => {
      await endSession(db, sessionCookie(req));
      return reply
        .header('set-cookie', cookieHeader('', 0, secureFor(req)))
        .send({ signedOut: true as const });
    },
  );

  app.get(
    DASHBOARD_PATHS.me,
    {
      schema: {
        summary: 'The signed-in user and their stores',
        response: { 200: meResponse, 401: errorBody },
      },
    },
    async (req) => {
      const p = await resolvePrincipal(db, {
        headers: {},
        cookies: { [SESSION_COOKIE]: sessionCookie(req) },
      });
      if (!p?.user) throw unauthorized('not signed in');
      return { user: p.user };
    },
  );
}
