import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { conflict, invalid, notFound, TallyError } from '../core/errors.ts';
import type { SqliteDb } from '../db/sqlite.ts';

/**
 * Manager override. Actions above the till's thresholds answer 403 `approval_required`; the client
 * retries with the manager's PIN (X-Manager-PIN) and the approver's id goes on the event. PINs are
 * kept as scrypt hashes with a salt each, never in plain text.
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

export interface Approvals {
  addManager(input: { managerId: string; name: string; pin: string }): Manager;
  /** The first manager of a till that has none, allowed by the till's local setup token. */
  addFirstManager(input: { managerId: string; name: string; pin: string }, setupToken: string): Manager;
  managers(): Manager[];
  /** Removes a manager; the last one stays, or nobody could approve anything. */
  removeManager(managerId: string): void;
  /**
   * Returns undefined when `needed` is false. Otherwise the approving manager's id, or throws
   * approval_required (no PIN given) / approval_denied (wrong PIN, or too many wrong ones lately).
   */
  check(needed: boolean, pin: string | undefined, field: string, what: string): string | undefined;
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
    insert: db.prepare(
      'INSERT INTO managers (manager_id, name, pin_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    remove: db.prepare('DELETE FROM managers WHERE manager_id = ?'),
    exists: db.prepare('SELECT 1 FROM managers WHERE manager_id = ?').pluck(),
  };
  type Row = { manager_id: string; name: string; pin_hash: string; salt: string };
  let wrong = 0;
  let lockedUntil = 0;

  const match = (pin: string): string | undefined => {
    for (const r of q.all.all() as Row[]) {
      const h = hashPin(pin, Buffer.from(r.salt, 'hex'));
      if (timingSafeEqual(h, Buffer.from(r.pin_hash, 'hex'))) return r.manager_id;
    }
    return undefined;
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
          "this till has managers already; adding another needs a manager's PIN (X-Manager-PIN)",
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
      // Two managers with one PIN would make the approver on the record a guess.
      if (q.exists.get(managerId.trim())) throw invalid('managerId', `${managerId} is already a manager`);
      if (match(pin) !== undefined) throw invalid('pin', 'another manager already uses this PIN');
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
    check(needed, pin, field, what) {
      if (!needed) return undefined;
      if ((q.all.all() as Row[]).length === 0) throw noManager(field);
      if (pin === undefined || pin === '')
        throw new ApprovalError('approval_required', `${what} needs a manager's approval`, field);
      const now = clock.now().getTime();
      if (now < lockedUntil)
        throw new ApprovalError(
          'approval_denied',
          `too many wrong PINs; try again in ${Math.ceil((lockedUntil - now) / 1000)} s`,
          field,
        );
      const managerId = /^\d{4,8}$/.test(pin) ? match(pin) : undefined;
      if (managerId === undefined) {
        wrong++;
        if (wrong >= opts.attempts) {
          lockedUntil = now + opts.lockoutSeconds * 1000;
          wrong = 0;
        }
        logger.warn({ field, what }, 'manager PIN refused');
        throw new ApprovalError('approval_denied', `wrong manager PIN; ${what} was not done`, field);
      }
      wrong = 0;
      logger.info({ managerId, field, what }, 'manager approved');
      return managerId;
    },
  };
  return api;
}
