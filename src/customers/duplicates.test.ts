import { describe, expect, it } from 'vitest';
import { findDuplicates } from './duplicates.ts';
import { intendedDomain } from './email-typos.ts';
import { type CustomerProfileInput, identityProfile } from './identity.ts';

const at = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString();
const profile = (customerId: string, fields: Omit<CustomerProfileInput, 'customerId'>) =>
  identityProfile({ customerId, ...fields }, 'CH');
const pairOf = (profiles: ReturnType<typeof profile>[]) => findDuplicates(profiles).candidates;

describe('probable duplicates', () => {
  it('flags the same name with a phone one digit off, and says why', () => {
    const [c] = pairOf([
      profile('a', { name: 'Ana Lima', phone: '079 123 45 67' }),
      profile('b', { name: 'Ana Lima', phone: '079 123 45 68' }),
    ]);
    expect(c).toMatchObject({ customerIds: ['a', 'b'], kind: 'probable' });
    expect(c!.score).toBeGreaterThanOrEqual(0.9);
    expect(c!.reasons).toEqual([
      'same name (Ana Lima)',
      'phone numbers differ in one digit (+41791234567 / +41791234568)',
    ]);
  });

  it('flags swapped digits too, but not a stranger whose phone is one digit off', () => {
    const found = pairOf([
      profile('a', { name: 'Ana Lima', phone: '079 123 45 67' }),
      profile('b', { name: 'Ana Lima', phone: '079 123 54 67' }),
      profile('c', { name: 'Jonas Weber', phone: '079 123 45 69' }),
    ]);
    expect(found.map((c) => c.customerIds)).toEqual([['a', 'b']]);
    expect(found[0]!.reasons[1]).toMatch(/two swapped digits/);
  });

  it('flags the same email name at a misspelt provider', () => {
    const [c] = pairOf([
      profile('a', { name: 'Ana Lima', email: 'ana.lima@gmial.com' }),
      profile('b', { name: 'A. Lima', email: 'ana.lima@gmail.com' }),
    ]);
    expect(c!.reasons).toContain(
      'same email name "ana.lima" at gmial.com, a common misspelling of gmail.com',
    );
    expect(c!.score).toBeGreaterThanOrEqual(0.85);
    expect(intendedDomain('gmai.com')).toBe('gmail.com');
    expect(intendedDomain('gmx.ch')).toBeUndefined();
  });

  it('sees one Gmail mailbox behind dots and +tags without calling it an exact match', () => {
    const [c] = pairOf([
      profile('a', { email: 'ana.lima+shop@gmail.com' }),
      profile('b', { email: 'analima@gmail.com' }),
    ]);
    expect(c).toMatchObject({ kind: 'probable' });
    expect(c!.reasons[0]).toMatch(/one Gmail mailbox/);
  });

  it('flags the same name and postcode registered a few days apart, registered once by phone and once by email', () => {
    const [c] = pairOf([
      profile('a', { name: 'Jürg Meier', phone: '079 555 12 12', postcode: '8001', createdAt: at(0) }),
      profile('b', { name: 'Juerg Meier', email: 'jm@example.ch', postcode: '8001', createdAt: at(3) }),
    ]);
    expect(c!.reasons).toContain('same postcode 8001, registered 3 days apart');
    expect(c!.score).toBeGreaterThanOrEqual(0.7);
  });

  it('flags a letter slipped in an email, not a different number in it', () => {
    const found = pairOf([
      profile('a', { name: 'Anna Meier', email: 'anna.meier@example.ch' }),
      profile('b', { name: 'Anna Meier', email: 'anna.meeir@example.ch' }),
      profile('c', { name: 'Anna Meier', email: 'anna.meier84@example.ch' }),
      profile('d', { name: 'Anna Meier', email: 'anna.meier85@example.ch' }),
    ]);
    expect(found.map((c) => c.customerIds.join('+'))).toEqual(['a+b']);
    expect(found[0]!.reasons).toContain(
      'emails differ in one letter (anna.meier@example.ch / anna.meeir@example.ch)',
    );
  });

  it('does not flag namesakes in the same postcode with different phones', () => {
    expect(
      pairOf([
        profile('a', { name: 'Thomas Müller', phone: '079 555 12 12', postcode: '8001', createdAt: at(0) }),
        profile('b', { name: 'Thomas Müller', phone: '078 444 98 76', postcode: '8001', createdAt: at(200) }),
      ]),
    ).toEqual([]);
  });

  it('puts exact matches first and sorts the rest by score', () => {
    const found = pairOf([
      profile('x1', { name: 'Ana Lima', email: 'ana.lima@gmail.com' }),
      profile('x2', { name: 'Ana Lima', email: 'ana.lima@gmial.com' }),
      profile('y1', { name: 'Ben Roth', phone: '079 111 22 33' }),
      profile('y2', { name: 'Benjamin Roth', phone: '+41791112233' }),
      profile('z1', { name: 'Eva Kunz', postcode: '3000', storeId: 'S1', createdAt: at(0) }),
      profile('z2', { name: 'Eva Kunz', postcode: '3000', storeId: 'S1', createdAt: at(10) }),
    ]);
    expect(found.map((c) => [c.customerIds.join('+'), c.kind])).toEqual([
      ['y1+y2', 'exact'],
      ['x1+x2', 'probable'],
      ['z1+z2', 'probable'],
    ]);
    expect(found[0]!.reasons).toEqual(['same phone number +41791112233']);
    expect(found.map((c) => c.score)).toEqual([...found.map((c) => c.score)].sort((p, q) => q - p));
  });

  it('compares only profiles that share a blocking key', () => {
    const profiles = Array.from({ length: 300 }, (_, i) =>
      profile(`c${i}`, { phone: `+4179${String(1_000_000 + i * 7919).padStart(7, '0')}` }),
    );
    const { stats } = findDuplicates(profiles);
    expect(stats.comparisons).toBeLessThan(300 * 4);
  });
});
