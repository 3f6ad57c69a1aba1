import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockingKeys, candidatePairs } from './duplicate-blocking.ts';
import type { IdentityProfile } from './identity.ts';

const bare: IdentityProfile = {
  customerId: 'x',
  displayName: undefined,
  name: undefined,
  phone: undefined,
  email: undefined,
  loyaltyCard: undefined,
  postcode: undefined,
  storeId: undefined,
  registeredAt: undefined,
};
const shareKey = (a: Partial<IdentityProfile>, b: Partial<IdentityProfile>): boolean => {
  const keys = new Set(blockingKeys({ ...bare, ...a }));
  return blockingKeys({ ...bare, ...b }).some((k) => keys.has(k));
};

const phone = fc.stringMatching(/^\+4\d{9,12}$/);
const local = fc.stringMatching(/^[a-z][a-z.]{4,15}$/);
const word = fc.stringMatching(/^[a-z]{3,9}$/);

describe('blocking never separates the near-misses the scorer looks for', () => {
  it('phones one digit apart, or with two neighbouring digits swapped, share a key', () => {
    fc.assert(
      fc.property(phone, fc.nat(), fc.boolean(), (p, at, swap) => {
        const i = 2 + (at % (p.length - 3));
        const d = p.split('');
        if (swap) [d[i], d[i + 1]] = [d[i + 1]!, d[i]!];
        else d[i] = String((Number(d[i]) + 1) % 10);
        expect(shareKey({ phone: p }, { phone: d.join('') })).toBe(true);
      }),
    );
  });

  it('emails one edit apart in one mailbox domain share a key', () => {
    fc.assert(
      fc.property(local, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), (l, at, edit) => {
        const i = at % l.length;
        const typo =
          edit === 'insert'
            ? `${l.slice(0, i)}x${l.slice(i)}`
            : edit === 'delete'
              ? `${l.slice(0, i)}${l.slice(i + 1)}`
              : `${l.slice(0, i)}q${l.slice(i + 1)}`;
        expect(shareKey({ email: `${l}@example.org` }, { email: `${typo}@example.org` })).toBe(true);
      }),
    );
  });

  it('names with one slip in one word share a key at the same postcode', () => {
    fc.assert(
      fc.property(word, word, fc.nat(), (first, last, at) => {
        const i = at % (last.length - 1);
        const slipped = `${last.slice(0, i)}${last[i + 1]}${last[i]}${last.slice(i + 2)}`;
        expect(
          shareKey(
            { name: `${first} ${last}`, postcode: '8001' },
            { name: `${first} ${slipped}`, postcode: '8001' },
          ),
        ).toBe(true);
      }),
    );
  });

  it('a misspelt provider meets the provider', () => {
    expect(shareKey({ email: 'ana.lima@gmial.com' }, { email: 'ana.lima@gmail.com' })).toBe(true);
    expect(shareKey({ email: 'ana.lima@gmail.com' }, { email: 'analima+x@gmail.com' })).toBe(true);
  });

  it('pairs each two profiles once, however many keys they share, and skips oversized blocks', () => {
    const same = Array.from({ length: 5 }, (_, i) => ({
      ...bare,
      customerId: `c${i}`,
      phone: '+41791234567',
    }));
    expect(candidatePairs(same, 200).pairs).toHaveLength(10);
    const crowd = candidatePairs(same, 4);
    expect(crowd.pairs).toHaveLength(0);
    expect(crowd.stats.skippedBlocks).toBeGreaterThan(0);
  });
});
