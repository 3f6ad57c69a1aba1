import type { Clock } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';

/**
 * Wrong PINs counted per till code in ledger.db (`pin_failures`), for sign-in and approvals alike: a
 * run of wrong PINs locks that one code at this till for a while, survives a restart and leaves every
 * other person alone. The column is still called manager_id; it holds the code typed.
 */
export interface PinLockout {
  /** Seconds until `code` may try again at this till, or 0. */
  lockedFor(code: string): number;
  /** Counts a wrong PIN; true when this one locked the code. */
  fail(code: string): boolean;
  forgive(code: string): void;
}

export function pinLockout(db: SqliteDb, clock: Clock, attempts: number, lockoutSeconds: number): PinLockout {
  const q = {
    get: db.prepare('SELECT failures, locked_until FROM pin_failures WHERE manager_id = ?'),
    set: db.prepare(
      `INSERT INTO pin_failures (manager_id, failures, locked_until) VALUES (@code, @failures, @lockedUntil)
       ON CONFLICT (manager_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
    ),
    forgive: db.prepare('DELETE FROM pin_failures WHERE manager_id = ?'),
  };
  type Row = { failures: number; locked_until: string | null };
  return {
    lockedFor(code) {
      const now = clock.now().getTime();
      const f = q.get.get(code) as Row | undefined;
      const until = f?.locked_until ? Date.parse(f.locked_until) : 0;
      return until > now ? Math.ceil((until - now) / 1000) : 0;
    },
    fail(code) {
      const now = clock.now().getTime();
      const f = q.get.get(code) as Row | undefined;
      const failures = (f?.failures ?? 0) + 1;
      const lock = failures >= attempts;
      q.set.run({
        code,
        failures: lock ? 0 : failures,
        lockedUntil: lock ? new Date(now + lockoutSeconds * 1000).toISOString() : (f?.locked_until ?? null),
      });
      return lock;
    },
    forgive: (code) => void q.forgive.run(code),
  };
}
