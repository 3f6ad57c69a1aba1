import { describe, expect, it } from 'vitest';
import {
  createIdentityIndex,
  identifierKeys,
  identityProfile,
  identityProfileLenient,
  normalizeLoyaltyCard,
  normalizeName,
  normalizePostcode,
} from './identity.ts';

const zurich = (customerId: string, fields: Record<string, string>) =>
  identityProfile({ customerId, ...fields }, 'CH');

describe('customer identifiers', () => {
  it('keeps an email as typed but for case and spaces, Gmail dots and +tags included', () => {
    const p = zurich('c1', { email: '  Ana.Lima+Shop@GMail.com ' });
    expect(p.email).toBe('ana.lima+shop@gmail.com');
  });

  it('reads loyalty cards without spaces or dashes, in upper case', () => {
    expect(normalizeLoyaltyCard('ab 1234-5678')).toBe('AB12345678');
    expect(() => normalizeLoyaltyCard('12#4')).toThrow(expect.objectContaining({ field: 'loyaltyCard' }));
  });

  it('compares names without accents, case or punctuation', () => {
    expect(normalizeName("  José  O'Neil-Smith ")).toBe('jose oneil smith');
    expect(normalizeName('JÜRGEN Straße')).toBe('juergen strasse');
    expect(normalizeName(' - ')).toBeUndefined();
    expect(normalizePostcode('sw1a 1aa')).toBe('SW1A1AA');
  });

  it('normalises a whole profile, phone in the store country', () => {
    expect(
      zurich('c1', {
        name: 'Ana Lima',
        phone: '079 123 45 67',
        postcode: '8001',
        createdAt: '2026-01-02T10:00:00Z',
      }),
    ).toMatchObject({
      displayName: 'Ana Lima',
      name: 'ana lima',
      phone: '+41791234567',
      postcode: '8001',
      registeredAt: Date.parse('2026-01-02T10:00:00Z'),
    });
  });

  it('refuses a bad field by name', () => {
    expect(() => zurich('c1', { phone: 'n/a' })).toThrow(expect.objectContaining({ field: 'phone' }));
    expect(() => zurich('c1', { email: 'ana@' })).toThrow(expect.objectContaining({ field: 'email' }));
    expect(() => zurich('c1', { createdAt: 'yesterday' })).toThrow(
      expect.objectContaining({ field: 'createdAt' }),
    );
  });
});

describe('profiles from older tills at HQ', () => {
  it('leaves an unreadable field out of matching and says which, keeping the rest', () => {
    const { profile, problems } = identityProfileLenient(
      { customerId: 'c1', name: 'Ana Lima', phone: '12345', email: 'ana@', loyaltyCard: 'TC 0001' },
      'CH',
    );
    expect(profile).toMatchObject({
      name: 'ana lima',
      phone: undefined,
      email: undefined,
      loyaltyCard: 'TC0001',
    });
    expect(problems.map((p) => p.field)).toEqual(['phone', 'email']);
  });

  it('reads a national number stored by an old till in its store country', () => {
    expect(identityProfileLenient({ customerId: 'c1', phone: '0791234567' }, 'CH').profile.phone).toBe(
      '+41791234567',
    );
  });

  it('refuses a country that does not exist rather than dropping the phone', () => {
    expect(() => identityProfileLenient({ customerId: 'c1', phone: '0791234567' }, 'XX')).toThrow(
      expect.objectContaining({ field: 'country' }),
    );
  });
});

describe('exact matching', () => {
  const profiles = [
    zurich('a', { phone: '+41 79 123 45 67' }),
    zurich('b', { phone: '079 123 45 67', email: 'ana@example.org' }),
    zurich('c', { email: 'ANA@example.org ', loyaltyCard: 'TC 0001' }),
    zurich('d', { loyaltyCard: 'tc-0001' }),
    zurich('e', { phone: '079 999 99 99' }),
    zurich('f', { email: 'someone@example.org' }),
    zurich('g', { email: 'someone@example.org' }),
  ];
  const index = createIdentityIndex(profiles);

  it('finds the customer registered at another till by the same phone typed differently', () => {
    expect(index.findExact({ phone: '+41791234567' })).toEqual(['a', 'b']);
    expect(index.findExact({ email: 'ana@example.org' })).toEqual(['b', 'c']);
    expect(index.findExact({ loyaltyCard: 'TC0001' })).toEqual(['c', 'd']);
    expect(index.findExact({ phone: '+41790000000' })).toEqual([]);
  });

  it('links profiles through any shared identifier into one person', () => {
    expect(index.exactGroups()).toEqual([
      ['a', 'b', 'c', 'd'],
      ['f', 'g'],
    ]);
  });

  it('names each identifier by its kind', () => {
    expect(identifierKeys(profiles[1]!)).toEqual(['phone:+41791234567', 'email:ana@example.org']);
  });
});
