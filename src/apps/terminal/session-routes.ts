import { z } from 'zod';
import {
  errorBody,
  TILL_SESSION_COOKIE,
  type TillPermission,
  tillSessionSchema,
} from '../../contracts/index.ts';
import { TallyError } from '../../core/index.ts';
import type { Register } from '../../sales/till/index.ts';
import { actAs } from '../../sync/index.ts';
import type { App } from '../shared/http.ts';
import { managerPin } from './api-schemas.ts';
import { codeText } from './edge-fields.ts';

/**
 * Sign-in at the register and the gate in front of every other route. Public: `/health`,
 * `/openapi.json`, the screen (anything outside /api), the sign-in itself and the setup-token route
 * that adds a till's first local user. Everything else needs a signed-in, unlocked session (401 saying
 * how to sign in) and runs as that user, so every event it writes names them. Routes that need a till
 * permission in every case are listed here, in one place; the register checks the conditional ones
 * (a discount over the threshold, a refund without receipt, …) itself.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<string, readonly TillPermission[]>> = {
  'POST /api/v1/shifts': ['sell'],
  'POST /api/v1/shifts/current/close': ['close_shift'],
  'POST /api/v1/shifts/current/cash-drops': ['cash_movement'],
  'POST /api/v1/shifts/current/paid-outs': ['cash_movement'],
  'POST /api/v1/carts': ['sell'],
  'POST /api/v1/carts/:cartId/lines': ['sell'],
  'POST /api/v1/carts/:cartId/complete': ['sell'],
  'POST /api/v1/customers/:customerId/consents': ['sell'],
  'GET /api/v1/customers/:customerId/points': ['sell'],
  'POST /api/v1/gift-cards': ['sell'],
  'POST /api/v1/gift-cards/load': ['sell'],
  'POST /api/v1/returns': ['refund_with_receipt'],
  'POST /api/v1/exchanges': ['sell', 'refund_with_receipt'],
  'POST /api/v1/inventory/counts': ['count_stock'],
  'POST /api/v1/inventory/transfers/:transferId/receipts': ['receive_stock'],
  'POST /api/v1/inventory/deliveries': ['receive_stock'],
};

/** The session token: the cookie, or `Authorization: Bearer` for scripts. */
export function sessionToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim() || undefined;
  const cookie = typeof headers.cookie === 'string' ? headers.cookie : '';
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TILL_SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

/**
 * Public by the route the router matched, never by the raw URL: a path spelled with %-escapes
 * (`/%61pi/v1/carts`) reaches the same route, and must meet the same gate. A request no route matched
 * gets its 404 either way.
 */
const isPublic = (method: string, route: string | undefined, headers: Record<string, unknown>): boolean =>
  route === undefined ||
  !route.startsWith('/api/') ||
  route === '/api/v1/session' ||
  route === '/api/v1/session/lock' ||
  (method === 'POST' && route === '/api/v1/managers' && typeof headers['x-setup-token'] === 'string');

// Failed sign-ins the whole till takes per minute before it answers 429: guessing across many codes
// (each code locks on its own after pinAttempts) is slowed too.
const FAILED_SIGN_INS_PER_MINUTE = 30;

export function registerSessionRoutes(app: App, register: Register): void {
  const { sessions } = register;

  app.addHook('onRequest', (req, _reply, done) => {
    if (isPublic(req.method, req.routeOptions.url, req.headers)) return done();
    let user: ReturnType<typeof sessions.resolve>;
    try {
      user = sessions.resolve(sessionToken(req.headers));
    } catch (err) {
      return done(err as Error);
    }
    actAs(user, () => done());
  });

  app.addHook('preHandler', async (req) => {
    const needs = ROUTE_PERMISSIONS[`${req.method} ${req.routeOptions.url}`];
    if (!needs) return;
    register.approvals.check(
      false,
      managerPin(req),
      'permission',
      `${req.method} ${req.routeOptions.url}`,
      needs,
    );
  });

  const cookie = (token: string, maxAge: number): string =>
    `${TILL_SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;
  const failures: number[] = [];
  const tags = { tags: ['session'] };

  app.post(
    '/api/v1/session',
    {
      schema: {
        ...tags,
        summary:
          'Sign in at this till with your till code and PIN (checked offline against the users HQ sent and the till’s local users). Sets the httpOnly cookie tally_till_session and answers the user, their till permissions and `sessionToken` (for Authorization: Bearer). Signing in while someone else is signed in switches cashier (recorded); signing in again unlocks a locked session. Wrong PINs lock that code at this till for a while.',
        body: z.object({
          code: codeText().optional().describe('your till code'),
          pin: codeText().optional().describe('your 4–8 digit PIN'),
        }),
        response: {
          200: tillSessionSchema.extend({ sessionToken: z.string() }),
          400: errorBody,
          401: errorBody,
          429: errorBody,
        },
      },
    },
    async (req, reply) => {
      const now = Date.now();
      while (failures.length > 0 && (failures[0] ?? 0) < now - 60_000) failures.shift();
      if (failures.length >= FAILED_SIGN_INS_PER_MINUTE) {
        reply.header('retry-after', '60');
        throw new TallyError('busy', 'too many failed sign-ins at this till; wait a minute', 'pin');
      }
      try {
        const { token, session } = sessions.signIn(req.body.code, req.body.pin);
        reply.header('set-cookie', cookie(token, 12 * 3600));
        return { ...session, sessionToken: token };
      } catch (err) {
        if (err instanceof TallyError && err.code === 'unauthorized') failures.push(now);
        throw err;
      }
    },
  );

  app.get(
    '/api/v1/session',
    {
      schema: {
        ...tags,
        summary: 'Who is signed in at this till, and whether the session is locked; 401 when nobody is',
        response: { 200: tillSessionSchema, 401: errorBody },
      },
    },
    async (req) => sessions.view(sessionToken(req.headers)),
  );

  app.delete(
    '/api/v1/session',
    {
      schema: {
        ...tags,
        summary: 'Sign out (recorded); the cookie is cleared',
        response: { 204: z.null(), 401: errorBody },
      },
    },
    async (req, reply) => {
      sessions.signOut(sessionToken(req.headers));
      reply.header('set-cookie', cookie('', 0));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/session/lock',
    {
      schema: {
        ...tags,
        summary:
          'Lock the register now (the cashier steps away); signing in again unlocks it, the cart is kept',
        response: { 204: z.null(), 401: errorBody },
      },
    },
    async (req, reply) => {
      sessions.lock(sessionToken(req.headers));
      return reply.status(204).send(null);
    },
  );
}
