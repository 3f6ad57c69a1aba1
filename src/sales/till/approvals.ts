import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../core/index.ts';
import { conflict, invalid, notFound, TallyError } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';

/**
 * Manager override. Actions above the till's thresholds answer 403 `approval_required`; the client
 * retries naming the manager and giving their PIN (X-Manager-Id and X-Manager-PIN) and the approver's
 * id goes on the event. A PIN is checked only against the named manager, so two managers may share a
 * PIN and no answer ever says whether a PIN belongs to someone else. Wrong PINs count per manager in
 * ledger.db (pin_failures): a lockout stops guessing at that manager on this till, survives a restart
 * and leaves the other managers alone. PINs are kept as scrypt hashes with a salt each.
 */
export type ApprovalErrorKind = 'approval_required' | 'approval_denied';

/** A 403 whose body says `approval_required` or `approval_denied`, so the screen knows to ask for a PIN. */
export class ApprovalError extends TallyError {
  readonly kind: ApprovalErrorKind;

  constructor(kind: ApprovalErrorKind, message: string, field: string) {
    super('forbidden', message, field);
    this.kind = kind;
  }

  override toJSON(): { error: 'forbidden'; message: string; field?: string } {
    // The wire says approval_required/approval_denied; ErrorCode stays the shared list for the type.
    return { error: this.kind as 'forbidden', message: this.message, field: this.field ?? '' };
  }
}

export interface Manager {
  managerId: string;
  name: string;
}

/** Who approves and their PIN, as the client sends them (X-Manager-Id, X-Manager-PIN). */
export interface ManagerApproval {
  managerId?: string | undefined;
  pin: string;
}

export interface Approvals {
  addManager(input: { managerId: string; name: string; pin: string }): Manager;
  /** The first manager of a till that has none, allowed by the till's local setup token. */
  addFirstManager(input: { managerId: string; name: string; pin: string }, setupToken: string): Manager;
  managers(): Manager[];
  /** Removes a manager; the last one stays, or nobody could approve anything. */
  removeManager(managerId: string): void;
  /**
   * Returns undefined when `needed` is false. Otherwise the approving manager's id, or throws
   * approval_required (no PIN given) / approval_denied (no manager named, a wrong id or PIN, or that
   * manager locked at this till after too many wrong PINs).
   */
  check(
    needed: boolean,
    approval: ManagerApproval | undefined,
    field: string,
    what: string,
  ): string | undefined;
}

const KEY_LEN = 32;
const hashPin = (pin: string, salt: Buffer): Buffer => scryptSync(pin, salt, KEY_LEN);

export const checkPinFormat = (pin: unknown): string => {
  if (typeof pin !== 'string' || !/^\d{4,8}$/.test(pin)) throw invalid('pin', 'must be 4 to 8 digits');
  return pin;
};

export function createApprovals(opts: {
  db: SqliteDb;
  clock: Clock;
  logger: Logger;
  attempts: number;
  lockoutSeconds: number;
  /** Reads the till's setup token (`<data>/setup-token`); absent on a till without one. */
  setupToken?: () => string | undefined;
}): Approvals {
  const { db, clock, logger } = opts;
  const q = {
    all: db.prepare('SELECT manager_id, name, pin_hash, salt FROM managers ORDER BY manager_id'),
    one: db.prepare('SELECT manager_id, name, pin_hash, salt FROM managers WHERE manager_id = ?'),
    failures: db.prepare('SELECT failures, locked_until FROM pin_failures WHERE manager_id = ?'),
    fail: db.prepare(
      `INSERT INTO pin_failures (manager_id, failures, locked_until) VALUES (@managerId, @failures, @lockedUntil)
       ON CONFLICT (manager_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
    ),
    forgive: db.prepare('DELETE FROM pin_failures WHERE manager_id = ?'),
    insert: db.prepare(
      'INSERT INTO managers (manager_id, name, pin_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    remove: db.prepare('DELETE FROM managers WHERE manager_id = ?'),
    exists: db.prepare('SELECT 1 FROM managers WHERE manager_id = ?').pluck(),
  };
  type Row = { manager_id: string; name: string; pin_hash: string; salt: string };
  // Hashed when the named manager does not exist, so a wrong id costs as long as a wrong PIN.
  const decoy = { salt: randomBytes(16), hash: randomBytes(KEY_LEN) };

  const pinMatches = (row: Row | undefined, pin: string): boolean => {
    const h = hashPin(pin, row ? Buffer.from(row.salt, 'hex') : decoy.salt);
    return timingSafeEqual(h, row ? Buffer.from(row.pin_hash, 'hex') : decoy.hash) && row !== undefined;
  };

  /** Seconds until `managerId` may try again at this till, or 0. */
  const lockedFor = (managerId: string, now: number): number => {
    const f = q.failures.get(managerId) as { failures: number; locked_until: string | null } | undefined;
    const until = f?.locked_until ? Date.parse(f.locked_until) : 0;
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  };

  const countFailure = (managerId: string, now: number): void => {
    const f = q.failures.get(managerId) as { failures: number; locked_until: string | null } | undefined;
    const failures = (f?.failures ?? 0) + 1;
    const lock = failures >= opts.attempts;
    q.fail.run({
      managerId,
      failures: lock ? 0 : failures,
      lockedUntil: lock
        ? new Date(now + opts.lockoutSeconds * 1000).toISOString()
        : (f?.locked_until ?? null),
    });
  };

  const noManager = (field: string): TallyError =>
    new TallyError(
      'forbidden',
      `${field}: no manager is set up on this till, so nothing can be approved yet; add the first manager with POST /api/v1/managers {managerId, name, pin} and the header X-Setup-Token set to the token in the till's data folder (setup-token)`,
      field,
    );

  const api: Approvals = {
    addFirstManager(input, token) {
      if ((q.all.all() as Row[]).length > 0)
        throw new ApprovalError(
          'approval_required',
          "this till has managers already; adding another needs a manager's id and PIN (X-Manager-Id, X-Manager-PIN)",
          'managers',
        );
      const expected = opts.setupToken?.();
      const given = Buffer.from(String(token ?? '').trim());
      if (!expected || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected)))
        throw new TallyError(
          'forbidden',
          "X-Setup-Token: wrong setup token; use the one in the till's data folder (setup-token)",
          'X-Setup-Token',
        );
      const m = api.addManager(input);
      logger.info({ managerId: m.managerId }, 'first manager added with the setup token');
      return m;
    },
    addManager({ managerId, name, pin }) {
      if (typeof managerId !== 'string' || managerId.trim() === '') throw invalid('managerId', 'is required');
      checkPinFormat(pin);
      // Ids are public (GET /api/v1/managers); PINs are never compared across managers, so a shared PIN
      // is allowed and nothing here can tell anyone another manager's PIN.
      if (q.exists.get(managerId.trim())) throw invalid('managerId', `${managerId} is already a manager`);
      const salt = randomBytes(16);
      q.insert.run(
        managerId.trim(),
        name,
        hashPin(pin, salt).toString('hex'),
        salt.toString('hex'),
        clock.now().toISOString(),
      );
      return { managerId: managerId.trim(), name };
    },
    managers: () => (q.all.all() as Row[]).map((r) => ({ managerId: r.manager_id, name: r.name })),
    removeManager(managerId) {
      if (!q.exists.get(managerId)) throw notFound(`manager ${managerId}`, 'managerId');
      if ((q.all.all() as Row[]).length === 1)
        throw conflict('the last manager cannot be removed; add another one first', 'managerId');
      q.remove.run(managerId);
      logger.info({ managerId }, 'manager removed');
    },
    check(needed, approval, field, what) {
      if (!needed) return undefined;
      if ((q.all.all() as Row[]).length === 0) throw noManager(field);
      const pin = approval?.pin ?? '';
      if (pin === '')
        throw new ApprovalError(
          'approval_required',
          `${what} needs a manager's approval: the manager's id and PIN (X-Manager-Id, X-Manager-PIN)`,
          field,
        );
      const managerId = approval?.managerId?.trim() ?? '';
      if (managerId === '')
        throw new ApprovalError(
          'approval_denied',
          `name the approving manager (X-Manager-Id) with the PIN; ${what} was not done`,
          field,
        );
      const now = clock.now().getTime();
      const wait = lockedFor(managerId, now);
      if (wait > 0)
        throw new ApprovalError(
          'approval_denied',
          `too many wrong PINs for manager ${managerId} at this till; ${managerId} can try again in ${wait} s (another manager can approve now)`,
          field,
        );
      const row = q.one.get(managerId) as Row | undefined;
      if (!(/^\d{4,8}$/.test(pin) && pinMatches(row, pin))) {
        // Unknown ids are not counted: they have no PIN to guess, and ids are listed openly anyway.
        if (row) countFailure(managerId, now);
        logger.warn({ managerId: row ? managerId : undefined, field, what }, 'manager PIN refused');
        throw new ApprovalError('approval_denied', `wrong manager id or PIN; ${what} was not done`, field);
      }
      q.forgive.run(managerId);
      logger.info({ managerId, field, what }, 'manager approved');
      return managerId;
    },
  };
  return api;
}
