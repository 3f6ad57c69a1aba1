import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { TillPermission } from '../../contracts/index.ts';
import type { Clock } from '../../core/index.ts';
import { invalid, TallyError } from '../../core/index.ts';
import { actAs, type Ledger } from '../../sync/index.ts';
import { AUTH_EVENT_TYPES } from '../auth-events.ts';
import type { PinLockout } from './pin-lockout.ts';
import type { TillUser, TillUserDirectory } from './till-users.ts';

/**
 * Who is at the register. A cashier signs in with their till code and PIN, checked here against the
 * users this till holds (HQ's, cached with the catalog, and its local ones), so sign-in works offline.
 * The session is a random token (the cookie `tally_till_session`, or `Authorization: Bearer`) kept in
 * ledger.db as its sha256 only. One cashier at a time: a sign-in ends the sessions before it, and one
 * by another person is recorded as `auth.cashier_switched`. A session idle longer than the till's
 * `session.idleLockSeconds` locks; signing in again unlocks it (carts are the till's, not the
 * session's, so nothing is lost). Wrong PINs count per code (`pin_failures`) and lock that code for a
 * while; each failed sign-in is recorded as `auth.sign_in_failed` with the code tried, never the PIN.
 */
export interface SessionView {
  user: { userId: string; code: string; name: string; permissions: TillPermission[] };
  signedInAt: string;
  locked: boolean;
  idleLockSeconds: number;
}

export interface TillSessions {
  signIn(code: unknown, pin: unknown): { token: string; session: SessionView };
  /** The signed-in user behind a token; throws 401 `session locked` or 401 asking to sign in. */
  resolve(token: string | undefined): TillUser;
  view(token: string | undefined): SessionView;
  lock(token: string | undefined): void;
  signOut(token: string | undefined): void;
}

interface Row {
  token_hash: string;
  user_id: string;
  code: string;
  created_at: string;
  last_seen_at: string;
  locked_at: string | null;
  ended_at: string | null;
}

const hashToken = (t: string): string => createHash('sha256').update(t).digest('hex');

export const SIGN_IN_HINT = 'sign in at the till with your code and PIN (POST /api/v1/session {code, pin})';

const notSignedIn = (why: string): TallyError =>
  new TallyError('unauthorized', `${why}; ${SIGN_IN_HINT}`, 'session');

export const sessionLocked = (): TallyError =>
  new TallyError('unauthorized', `session locked: ${SIGN_IN_HINT} to unlock; the cart is kept`, 'session');

// Touching last_seen_at on every request would cost a write each; a few seconds' slack is fine for a
// lock measured in minutes.
const TOUCH_EVERY_MS = 5_000;

export function tillSessions(opts: {
  ledger: Ledger;
  users: TillUserDirectory;
  lockout: PinLockout;
  clock: Clock;
  logger: Logger;
  idleLockSeconds: () => number;
  /** The open shift, named on a switch of cashier. */
  shiftId: () => string | undefined;
}): TillSessions {
  const { ledger, users, lockout, clock, logger } = opts;
  const db = ledger.db;
  const q = {
    get: db.prepare('SELECT * FROM till_sessions WHERE token_hash = ?'),
    open: db.prepare('SELECT * FROM till_sessions WHERE ended_at IS NULL ORDER BY created_at DESC'),
    insert: db.prepare(
      'INSERT INTO till_sessions (token_hash, user_id, code, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
    ),
    endAll: db.prepare('UPDATE till_sessions SET ended_at = ? WHERE ended_at IS NULL'),
    end: db.prepare('UPDATE till_sessions SET ended_at = ? WHERE token_hash = ?'),
    lock: db.prepare('UPDATE till_sessions SET locked_at = ? WHERE token_hash = ? AND locked_at IS NULL'),
    touch: db.prepare('UPDATE till_sessions SET last_seen_at = ? WHERE token_hash = ?'),
  };
  const now = () => clock.now();
  const rowOf = (token: string | undefined): Row => {
    if (!token) throw notSignedIn('nobody is signed in');
    const r = q.get.get(hashToken(token)) as Row | undefined;
    if (!r || r.ended_at) throw notSignedIn('this session has ended');
    return r;
  };
  const idleLocked = (r: Row): boolean =>
    now().getTime() - Date.parse(r.last_seen_at) > opts.idleLockSeconds() * 1000;
  const viewOf = (r: Row, u: TillUser): SessionView => ({
    user: { userId: u.userId, code: u.code, name: u.name, permissions: [...u.permissions] },
    signedInAt: r.created_at,
    locked: r.locked_at !== null || idleLocked(r),
    idleLockSeconds: opts.idleLockSeconds(),
  });
  const failed = (code: string, reason: string, message: string): never => {
    ledger.append(AUTH_EVENT_TYPES.signInFailed, { code, reason });
    logger.warn({ code, reason }, 'till sign-in refused');
    throw new TallyError('unauthorized', message, 'pin');
  };

  return {
    signIn(code, pin) {
      if (typeof code !== 'string' || !/^[A-Za-z0-9._-]{1,32}$/.test(code))
        throw invalid('code', 'your till code: letters or digits, at most 32');
      if (typeof pin !== 'string' || !/^\d{4,8}$/.test(pin)) throw invalid('pin', 'must be 4 to 8 digits');
      const wait = lockout.lockedFor(code);
      if (wait > 0)
        failed(code, 'locked', `too many wrong PINs for ${code} at this till; try again in ${wait} s`);
      const user = users.verify(code, pin);
      if (!user) {
        const known = users.byCode(code) !== undefined;
        const locked = known && lockout.fail(code);
        failed(
          code,
          known ? 'wrong_pin' : 'unknown_code',
          locked ? `wrong code or PIN; ${code} is locked at this till for a while` : 'wrong code or PIN',
        );
      }
      const u = user as TillUser;
      lockout.forgive(code);
      const token = randomBytes(32).toString('base64url');
      const at = now().toISOString();
      const before = (q.open.all() as Row[])[0];
      const shiftId = opts.shiftId();
      actAs(u, () =>
        ledger.transaction(() => {
          q.endAll.run(at);
          q.insert.run(hashToken(token), u.userId, u.code, at, at);
          if (before && before.user_id !== u.userId)
            ledger.append(AUTH_EVENT_TYPES.cashierSwitched, {
              fromUserId: before.user_id,
              toUserId: u.userId,
              ...(shiftId ? { shiftId } : {}),
            });
          ledger.append(AUTH_EVENT_TYPES.signedIn, {
            userId: u.userId,
            code: u.code,
            ...(shiftId ? { shiftId } : {}),
          });
        }),
      );
      logger.info({ userId: u.userId }, 'signed in at the till');
      return { token, session: viewOf(q.get.get(hashToken(token)) as Row, u) };
    },
    resolve(token) {
      const r = rowOf(token);
      const u = users.byId(r.user_id);
      if (!u) {
        q.end.run(now().toISOString(), r.token_hash);
        throw notSignedIn(`${r.code} may no longer use this till`);
      }
      if (r.locked_at) throw sessionLocked();
      if (idleLocked(r)) {
        q.lock.run(now().toISOString(), r.token_hash);
        throw sessionLocked();
      }
      if (now().getTime() - Date.parse(r.last_seen_at) > TOUCH_EVERY_MS)
        q.touch.run(now().toISOString(), r.token_hash);
      return u;
    },
    view(token) {
      const r = rowOf(token);
      const u = users.byId(r.user_id);
      if (!u) throw notSignedIn(`${r.code} may no longer use this till`);
      return viewOf(r, u);
    },
    lock(token) {
      const r = rowOf(token);
      q.lock.run(now().toISOString(), r.token_hash);
    },
    signOut(token) {
      const r = rowOf(token);
      q.end.run(now().toISOString(), r.token_hash);
      const u = users.byId(r.user_id);
      if (u) actAs(u, () => ledger.append(AUTH_EVENT_TYPES.signedOut, { userId: u.userId }));
    },
  };
}
