import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { TILL_PERMISSIONS, type TillPermission } from '../../contracts/index.ts';
import type { Clock } from '../../core/index.ts';
import { conflict, invalid, notFound, TallyError } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';
import { actingUser, noteApprover } from '../../sync/index.ts';
import { pinLockout } from './pin-lockout.ts';
import { type TillUserDirectory, tillUserDirectory } from './till-users.ts';

/**
 * Permission checks and approvals. Each till action names the till permission it needs (a discount
 * over the threshold needs discount_over_threshold, a refund without receipt refund_without_receipt,
 * …); the signed-in user who holds it just does it. One who does not gets 403 `approval_required`, and
 * the client retries with an approver's till code and PIN (X-Manager-Id and X-Manager-PIN, the old
 * header names): the approver must hold the permission, and goes on the event. Without a signed-in
 * user (the register driven in-process, by tests and the CLI) the till's thresholds alone decide, as
 * before sign-in existed. A refused approval is recorded as `auth.approval_refused`. A PIN is checked only against the named manager, so two managers may share a
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

/** Who approves and their PIN, as the client sends them (X-Manager-Id: the approver's till code, X-Manager-PIN). */
export interface ManagerApproval {
  managerId?: string | undefined;
  pin: string;
}

export interface Approvals {
  /** A local till user (all till permissions unless `permissions` lists fewer). */
  addManager(input: {
    managerId: string;
    name: string;
    pin: string;
    permissions?: readonly TillPermission[];
  }): Manager;
  /** The first manager of a till that has none, allowed by the till's local setup token. */
  addFirstManager(input: { managerId: string; name: string; pin: string }, setupToken: string): Manager;
  managers(): Manager[];
  /** Removes a manager; the last one stays, or nobody could approve anything. */
  removeManager(managerId: string): void;
  /**
   * Decides whether the action may go ahead; returns the approver's user id when one approved, else
   * undefined. With a signed-in user: the user holding `permission` (or no permission named) goes
   * ahead; otherwise an approver holding it must be given. Without one: `needed` decides, as the
   * till's thresholds say. Throws approval_required (no PIN given) or approval_denied (no approver
   * named, a wrong code or PIN, an approver without the permission, or one locked at this till).
   */
  check(
    needed: boolean,
    approval: ManagerApproval | undefined,
    field: string,
    what: string,
    permission?: TillPermission | readonly TillPermission[],
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
  /** Who may approve; default: the till's local users only. */
  users?: TillUserDirectory;
  /** Records a refused approval in the ledger (outside a transaction, so it stays when the action fails). */
  record?: (type: string, payload: Record<string, unknown>) => void;
  /** Reads the till's setup token (`<data>/setup-token`); absent on a till without one. */
  setupToken?: () => string | undefined;
}): Approvals {
  const { db, clock, logger } = opts;
  const users = opts.users ?? tillUserDirectory(db);
  const lockout = pinLockout(db, clock, opts.attempts, opts.lockoutSeconds);
  const q = {
    // Managers are the local users with every till permission (NULL: added before permissions existed).
    all: db.prepare(
      `SELECT manager_id, name FROM managers WHERE permissions IS NULL OR json_array_length(permissions) = ${TILL_PERMISSIONS.length} ORDER BY manager_id`,
    ),
    insert: db.prepare(
      'INSERT INTO managers (manager_id, name, pin_hash, salt, created_at, permissions) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    remove: db.prepare('DELETE FROM managers WHERE manager_id = ?'),
    exists: db.prepare('SELECT 1 FROM managers WHERE manager_id = ?').pluck(),
  };
  type Row = { manager_id: string; name: string };

  const noManager = (field: string): TallyError =>
    new TallyError(
      'forbidden',
      `${field}: no manager is set up on this till, so nothing can be approved yet; add the first manager with POST /api/v1/managers {managerId, name, pin} and the header X-Setup-Token set to the token in the till's data folder (setup-token)`,
      field,
    );

  const refuse = (code: string, field: string, what: string, reason: string, message: string): never => {
    if (!db.inTransaction) opts.record?.('auth.approval_refused', { code, field, what, reason });
    throw new ApprovalError('approval_denied', message, field);
  };

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
    addManager({ managerId, name, pin, permissions }) {
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
        permissions ? JSON.stringify(TILL_PERMISSIONS.filter((p) => permissions.includes(p))) : null,
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
    check(needed, approval, field, what, permission) {
      const wanted: readonly TillPermission[] =
        permission === undefined ? [] : typeof permission === 'string' ? [permission] : permission;
      const actor = actingUser();
      if (actor) {
        if (wanted.every((p) => actor.permissions.includes(p))) return undefined;
      } else if (!needed) return undefined;
      if (users.all().length === 0) throw noManager(field);
      const pin = approval?.pin ?? '';
      const whose = wanted.length > 0 ? `someone with ${wanted.join(' and ')}` : 'a manager';
      if (pin === '')
        throw new ApprovalError(
          'approval_required',
          `${what} needs the approval of ${whose}: their till code and PIN (X-Manager-Id, X-Manager-PIN)`,
          field,
        );
      const code = approval?.managerId?.trim() ?? '';
      if (code === '')
        return refuse(
          '',
          field,
          what,
          'no_approver_named',
          `name the approver (X-Manager-Id: their till code) with the PIN; ${what} was not done`,
        );
      const wait = lockout.lockedFor(code);
      if (wait > 0)
        return refuse(
          code,
          field,
          what,
          'locked',
          `too many wrong PINs for ${code} at this till; ${code} can try again in ${wait} s (someone else can approve now)`,
        );
      const approver = users.verify(code, pin);
      if (!approver) {
        // Unknown codes are not counted: they have no PIN to guess.
        if (users.byCode(code)) lockout.fail(code);
        logger.warn({ code: users.byCode(code) ? code : undefined, field, what }, 'approver PIN refused');
        return refuse(code, field, what, 'wrong_pin', `wrong approver code or PIN; ${what} was not done`);
      }
      lockout.forgive(code);
      const missing = wanted.filter((p) => !approver.permissions.includes(p));
      if (missing.length > 0)
        return refuse(
          code,
          field,
          what,
          'no_permission',
          `${approver.name} (${code}) may not approve ${what}: they lack ${missing.join(', ')}; ask ${whose}`,
        );
      noteApprover(approver.userId);
      logger.info({ approver: approver.userId, field, what }, 'approved');
      // The approver's id as events have always carried it: a local manager's own id, else the user id.
      return approver.source === 'local' ? approver.code : approver.userId;
    },
  };
  return api;
}
