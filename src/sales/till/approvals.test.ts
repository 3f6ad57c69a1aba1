import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { tillLedgerMigrations } from '../../apps/shared/till-ledger-migrations.ts';
import { fixedClock } from '../../core/clock.ts';
import { openSqlite, type SqliteDb } from '../../db/sqlite.ts';
import { type Approvals, createApprovals, type ManagerApproval } from './approvals.ts';

/**
 * Defect 12 and its class: a manager's PIN is checked only against that manager, so nothing a till
 * answers depends on another manager's PIN; wrong PINs lock one manager at one till, and the lockout
 * is in ledger.db, so a restart does not reset it.
 */
const tempDir = tempDirs('approvals');
const tillDb = (): SqliteDb => openSqlite(join(tempDir(), 'ledger.db'), tillLedgerMigrations);

const silent = pino({ level: 'silent' });
const open = (db: SqliteDb, clock = fixedClock('2026-03-02T09:00:00Z'), attempts = 3): Approvals =>
  createApprovals({ db, clock, logger: silent, attempts, lockoutSeconds: 60 });

/** What a caller can observe of one approval: who approved, or the error's kind, field and message. */
function answer(a: Approvals, approval: ManagerApproval | undefined): string {
  try {
    return `ok ${a.check(true, approval, 'noSale', 'opening the drawer')}`;
  } catch (err) {
    const e = err as { kind?: string; field?: string; message: string };
    return `${e.kind} ${e.field} ${e.message}`;
  }
}

describe('manager approvals', () => {
  it('adds a manager whose PIN another manager already has, and says nothing about it', () => {
    const a = open(tillDb());
    a.addManager({ managerId: 'M1', name: 'Olga', pin: '4829' });
    expect(a.addManager({ managerId: 'M2', name: 'Ben', pin: '4829' })).toEqual({
      managerId: 'M2',
      name: 'Ben',
    });
    expect(answer(a, { managerId: 'M1', pin: '4829' })).toBe('ok M1');
    expect(answer(a, { managerId: 'M2', pin: '4829' })).toBe('ok M2');
  });

  it('refuses a PIN that names no manager, so a PIN alone tells nobody whether it is in use', () => {
    const a = open(tillDb());
    a.addManager({ managerId: 'M1', name: 'Olga', pin: '4829' });
    expect(answer(a, { pin: '4829' })).toMatch(/^approval_denied noSale name the approver/);
    expect(answer(a, { pin: '0000' })).toBe(answer(a, { pin: '4829' }));
    expect(answer(a, undefined)).toMatch(/^approval_required .*X-Manager-Id, X-Manager-PIN/);
  });

  it('three wrong PINs lock that manager at this till only: the other manager still approves', () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const db = tillDb();
    const a = open(db, clock);
    a.addManager({ managerId: 'M1', name: 'Olga', pin: '4829' });
    a.addManager({ managerId: 'M2', name: 'Ben', pin: '7310' });
    for (let i = 0; i < 3; i++)
      expect(answer(a, { managerId: 'M1', pin: '1111' })).toMatch(/wrong approver code or PIN/);
    expect(answer(a, { managerId: 'M1', pin: '4829' })).toMatch(
      /^approval_denied noSale too many wrong PINs for M1 at this till; M1 can try again in 60 s/,
    );
    expect(answer(a, { managerId: 'M2', pin: '7310' })).toBe('ok M2');
    // Another till (its own ledger.db) knows nothing of this till's lockout.
    const other = open(tillDb(), clock);
    other.addManager({ managerId: 'M1', name: 'Olga', pin: '4829' });
    expect(answer(other, { managerId: 'M1', pin: '4829' })).toBe('ok M1');
    clock.advance(60_000);
    expect(answer(a, { managerId: 'M1', pin: '4829' })).toBe('ok M1');
  });

  it('a restart keeps the lockout, and the count of wrong PINs before it', () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const db = tillDb();
    const a = open(db, clock);
    a.addManager({ managerId: 'M1', name: 'Olga', pin: '4829' });
    answer(a, { managerId: 'M1', pin: '1111' });
    answer(a, { managerId: 'M1', pin: '2222' });
    // Restarted: one more wrong PIN is the third.
    const b = open(db, clock);
    answer(b, { managerId: 'M1', pin: '3333' });
    const c = open(db, clock);
    expect(answer(c, { managerId: 'M1', pin: '4829' })).toMatch(/too many wrong PINs for M1/);
  });

  it('a right PIN forgets the wrong ones before it', () => {
    const a = open(tillDb());
    a.addManager({ managerId: 'M1', name: 'Olga', pin: '4829' });
    answer(a, { managerId: 'M1', pin: '1111' });
    answer(a, { managerId: 'M1', pin: '2222' });
    expect(answer(a, { managerId: 'M1', pin: '4829' })).toBe('ok M1');
    answer(a, { managerId: 'M1', pin: '1111' });
    expect(answer(a, { managerId: 'M1', pin: '4829' })).toBe('ok M1');
  });

  it('nothing a till answers depends on the other managers’ PINs (any managers, any attempts)', () => {
    // Few PINs, so attempts and new managers often hit another manager's PIN.
    const pin = fc.constantFrom('1111', '2222', '3333', '482913');
    const attempt = fc.record({
      managerId: fc.constantFrom('M1', 'M2', 'M3', 'X9', ''),
      pin: fc.oneof(pin, fc.constant('12'), fc.constant('')),
    });
    const step = fc.oneof(
      attempt.map((x) => ({ kind: 'check' as const, ...x })),
      fc.record({ kind: fc.constant('add' as const), managerId: fc.constantFrom('M2', 'M3', 'M4'), pin }),
    );
    fc.assert(
      fc.property(pin, pin, pin, fc.array(step, { maxLength: 6 }), (targetPin, otherA, otherB, steps) => {
        // Two tills alike except for M2's PIN: whoever probes them must see the same answers.
        const run = (otherPin: string): string[] => {
          const a = open(tillDb(), fixedClock('2026-03-02T09:00:00Z'), 2);
          a.addManager({ managerId: 'M1', name: 'Olga', pin: targetPin });
          a.addManager({ managerId: 'M2', name: 'Ben', pin: otherPin });
          return steps.map((s) => {
            if (s.kind === 'check') return answer(a, { managerId: s.managerId, pin: s.pin });
            try {
              return `added ${a.addManager({ managerId: s.managerId, name: 'New', pin: s.pin }).managerId}`;
            } catch (err) {
              return (err as Error).message;
            }
          });
        };
        const seen = run(otherA);
        const probes = steps.map((s) => s.kind === 'check' && s.managerId === 'M2');
        const other = run(otherB);
        // Answers about M2 itself may differ (its own PIN); every other answer must not.
        expect(seen.filter((_, i) => !probes[i])).toEqual(other.filter((_, i) => !probes[i]));
      }),
      { numRuns: 12 },
    );
  });
});
