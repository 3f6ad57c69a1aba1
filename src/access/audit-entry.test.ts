import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  asStoredJson,
  auditHash,
  canonicalJson,
  chainEntry,
  checkLink,
  GENESIS_HASH,
} from './audit-entry.ts';

const input = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  at: new Date('2025-03-01T09:00:00.123Z'),
  actor: { kind: 'user' as const, id: 'maria' },
  action: 'catalog.price_changed',
  before: { priceMinor: 349 },
  after: { priceMinor: 379 },
};

describe('audit entries', () => {
  it('hash the same whatever order the keys came in, as jsonb hands them back reordered', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const stored = asStoredJson(v);
        const reordered = JSON.parse(
          JSON.stringify(stored, (_k, x) =>
            x && typeof x === 'object' && !Array.isArray(x)
              ? Object.fromEntries(Object.entries(x).reverse())
              : x,
          ),
        );
        expect(canonicalJson(reordered)).toBe(canonicalJson(stored));
        expect(asStoredJson(JSON.parse(canonicalJson(stored)))).toEqual(stored);
      }),
    );
  });

  it('chain: each entry carries the hash of the one before, and any changed field breaks its own hash', () => {
    const first = chainEntry(input, { seq: 0, hash: GENESIS_HASH });
    const second = chainEntry({ ...input, id: `${input.id.slice(0, -1)}2` }, first);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(checkLink({ seq: 0, hash: GENESIS_HASH }, first)).toBeUndefined();
    expect(checkLink(first, second)).toBeUndefined();
    const edits: Partial<AuditEntry>[] = [
      { actorId: 'tom' },
      { after: { priceMinor: 1 } },
      { at: new Date('2025-03-01T09:00:00.124Z') },
      { outcome: 'refused' },
      { storeId: 'S9' },
    ];
    for (const edit of edits) expect(checkLink(first, { ...second, ...edit })?.kind).toBe('hash_mismatch');
    expect(auditHash({ ...second, reason: null })).toBe(second.hash);
  });

  it('refuses an action that is not dotted lower case, and numbers no JSON can keep', () => {
    expect(() => chainEntry({ ...input, action: 'PriceChanged' }, { seq: 0, hash: GENESIS_HASH })).toThrow(
      /dotted/,
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/finite/);
  });
});
