import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { verifyPin } from '../../access/till/index.ts';
import { TILL_PERMISSIONS, type TillPermission, type TillUserWire } from '../../contracts/index.ts';
import type { SqliteDb } from '../../db/index.ts';

/**
 * The people who may act at this till, found by the code they type: first the users HQ sent with the
 * catalog (their till permissions at this store, their PIN hash; usable offline), then the till's
 * local users (the `managers` table: added with the setup token or by a local manager, all till
 * permissions unless given fewer). A till that has never heard of HQ users still works with its local
 * ones. An HQ user HQ marked inactive is nobody here, even if a local user has the same code.
 */
export interface TillUser {
  userId: string;
  code: string;
  name: string;
  permissions: readonly TillPermission[];
  source: 'hq' | 'local';
}

/** Where HQ's users come from: the catalog cache. */
export interface TillUserSource {
  tillUserByCode(code: string): TillUserWire | undefined;
  tillUsers(): TillUserWire[];
}

export interface TillUserDirectory {
  byCode(code: string): TillUser | undefined;
  byId(userId: string): TillUser | undefined;
  /** The user behind `code` when `pin` is theirs; wrong PINs and unknown codes take the same time. */
  verify(code: string, pin: string): TillUser | undefined;
  all(): TillUser[];
}

/** A local user's id: their code, marked so it never reads as an HQ username. */
export const localUserId = (code: string): string => `local:${code}`;

interface LocalRow {
  manager_id: string;
  name: string;
  pin_hash: string;
  salt: string;
  permissions: string | null;
}

const KEY_LEN = 32;
const decoy = { salt: randomBytes(16), hash: randomBytes(KEY_LEN) };

const localPermissions = (json: string | null): TillPermission[] => {
  if (json === null) return [...TILL_PERMISSIONS];
  const listed = JSON.parse(json) as string[];
  return TILL_PERMISSIONS.filter((p) => listed.includes(p));
};

export function tillUserDirectory(db: SqliteDb, hq?: TillUserSource): TillUserDirectory {
  const q = {
    local: db.prepare('SELECT * FROM managers WHERE manager_id = ?'),
    locals: db.prepare('SELECT * FROM managers ORDER BY manager_id'),
  };
  const fromHq = (u: TillUserWire): TillUser => ({
    userId: u.userId,
    code: u.code,
    name: u.name,
    permissions: TILL_PERMISSIONS.filter((p) => u.permissions.includes(p)),
    source: 'hq',
  });
  const fromLocal = (r: LocalRow): TillUser => ({
    userId: localUserId(r.manager_id),
    code: r.manager_id,
    name: r.name,
    permissions: localPermissions(r.permissions),
    source: 'local',
  });
  const find = (code: string): { user: TillUser; check: (pin: string) => boolean } | undefined => {
    const h = hq?.tillUserByCode(code);
    if (h) return h.active ? { user: fromHq(h), check: (pin) => verifyPin(pin, h.pinHash) } : undefined;
    const r = q.local.get(code) as LocalRow | undefined;
    if (!r) return undefined;
    return {
      user: fromLocal(r),
      check: (pin) =>
        timingSafeEqual(scryptSync(pin, Buffer.from(r.salt, 'hex'), KEY_LEN), Buffer.from(r.pin_hash, 'hex')),
    };
  };
  const all = (): TillUser[] => [
    ...(hq?.tillUsers() ?? []).filter((u) => u.active).map(fromHq),
    ...(q.locals.all() as LocalRow[]).filter((r) => !hq?.tillUserByCode(r.manager_id)).map(fromLocal),
  ];
  return {
    byCode: (code) => find(code)?.user,
    byId: (userId) => all().find((u) => u.userId === userId),
    verify(code, pin) {
      const f = find(code);
      if (!f) {
        timingSafeEqual(scryptSync(pin, decoy.salt, KEY_LEN), decoy.hash);
        return undefined;
      }
      return /^\d{4,8}$/.test(pin) && f.check(pin) ? f.user : undefined;
    },
    all,
  };
}
