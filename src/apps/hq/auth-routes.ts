import type { FastifyRequest } from 'fastify';
import {
  audit,
  checkPassword,
  createSession,
  endSession,
  principalOf,
  resolveSessionPrincipal,
  SESSION_TTL_MS,
  sessionToken,
} from '../../access/index.ts';
import {
  DASHBOARD_PATHS,
  errorBody,
  meResponse,
  SESSION_COOKIE,
  signInBody,
  signOutResponse,
} from '../../contracts/index.ts';
import { unauthorized } from '../../core/index.ts';
import { RefusalError } from '../shared/error-handler.ts';
import type { HqRoutes } from './hq-routes.ts';

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

const cookieHeader = (value: string, maxAgeSeconds: number, secure: boolean): string =>
  [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');

/**
 * Sign-in for the dashboard: a password becomes an httpOnly, SameSite=Strict session cookie (12 h,
 * renewed while used). Wrong name and wrong password get the same 401; repeated tries get 429.
 */
export const authRoutes: HqRoutes = (app, { db }) => {
  const limiter = signInLimiter();
  // Secure when HQ is reached over HTTPS (directly or behind a proxy that says so), so http://localhost works.
  const secureFor = (req: FastifyRequest): boolean =>
    req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';

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
        throw new RefusalError(
          429,
          { error: 'rate_limited', message: `too many sign-in attempts; try again in ${wait} s` },
          { 'retry-after': String(wait) },
        );
      }
      const user = await checkPassword(db, req.body.username, req.body.password);
      if (!user) {
        req.log.info({ username: req.body.username, ip: req.ip }, 'sign-in refused');
        const claimed = { kind: 'user' as const, id: req.body.username };
        await audit(req).refused({
          action: 'auth.sign_in_failed',
          actor: claimed,
          reason: 'wrong username or password',
        });
        throw new RefusalError(401, { error: 'invalid_credentials', message: 'wrong username or password' });
      }
      const token = await createSession(db, user.username);
      await audit(req).record({ action: 'auth.sign_in', actor: { kind: 'user', id: user.username } });
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
      const who = await resolveSessionPrincipal(db, req.headers);
      await endSession(db, sessionToken(req.headers));
      if (who) await audit(req).record({ action: 'auth.sign_out', actor: { kind: 'user', id: who.actor } });
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
      config: { access: 'session' },
    },
    async (req) => {
      const { user } = principalOf(req);
      if (!user) throw unauthorized('not signed in');
      return { user };
    },
  );
};
