import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyIdentityEvent,
  canonicalSales,
  customerMergedSchema,
  customerUnmergedSchema,
  emptyIdentityState,
  type IdentityEvent,
  type IdentityResolver,
  identityEventOf,
  purchaseHistory,
  resolveIdentities,
  CUSTOMER_MERGE_EVENT_TYPES as T,
} from './merge-events.ts';

const merge = (survivorId: string, mergedId: string): IdentityEvent => ({
  type: T.customerMerged,
  payload: { survivorId, mergedId },
});
const unmerge = (survivorId: string, mergedId: string): IdentityEvent => ({
  type: T.customerUnmerged,
  payload: { survivorId, mergedId },
});

/** The partition as sorted groups of sorted ids, so two resolvers can be compared. */
const partition = (r: IdentityResolver, ids: readonly string[]): string[][] => {
  const groups = new Map<string, string[]>();
  for (const id of ids) groups.set(r.canonicalOf(id), r.membersOf(id));
  return [...groups.values()]
    .map((g) => g.filter((id) => ids.includes(id)))
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
};

describe('merging customer profiles', () => {
  it('follows chains: B and C merged into A, then A into D, all resolve to D', () => {
    const r = resolveIdentities([merge('A', 'B'), merge('A', 'C'), merge('D', 'A')]);
    expect(['A', 'B', 'C', 'D'].map(r.canonicalOf)).toEqual(['D', 'D', 'D', 'D']);
    expect(r.membersOf('B')).toEqual(['A', 'B', 'C', 'D']);
    expect(r.canonicalOf('Z')).toBe('Z');
    expect(r.membersOf('Z')).toEqual(['Z']);
  });

  it('refuses merging a profile into itself, directly or round a chain', () => {
    expect(() => resolveIdentities([merge('A', 'A')])).toThrow(
      expect.objectContaining({ field: 'mergedId' }),
    );
    expect(() => resolveIdentities([merge('A', 'B'), merge('B', 'A')])).toThrow(/cycle/);
    expect(() => resolveIdentities([merge('A', 'B'), merge('B', 'C'), merge('C', 'A')])).toThrow(/cycle/);
  });

  it('refuses merging a profile that is already merged elsewhere, pointing at the one to merge', () => {
    expect(() => resolveIdentities([merge('A', 'B'), merge('D', 'A'), merge('E', 'A')])).toThrow(
      /A is already merged into D; merge D instead/,
    );
  });

  it('un-merging B from A takes B and what was merged into B, and leaves later merges of A alone', () => {
    const r = resolveIdentities([
      merge('B', 'E'),
      merge('A', 'B'),
      merge('A', 'C'),
      merge('D', 'A'),
      unmerge('A', 'B'),
    ]);
    expect(r.membersOf('B')).toEqual(['B', 'E']);
    expect(r.membersOf('A')).toEqual(['A', 'C', 'D']);
    expect(r.canonicalOf('C')).toBe('D');
  });

  it('refuses un-merging a pair that is not merged', () => {
    expect(() => resolveIdentities([merge('A', 'B'), merge('D', 'A'), unmerge('D', 'B')])).toThrow(
      /B is not merged into D/,
    );
    expect(() => resolveIdentities([merge('A', 'B'), unmerge('A', 'B'), unmerge('A', 'B')])).toThrow(
      expect.objectContaining({ field: 'mergedId' }),
    );
  });

  it('reads merges out of the event log, skipping other events', () => {
    const [a, b] = ['0190a6c2-0000-7000-8000-00000000000a', '0190a6c2-0000-7000-8000-00000000000b'];
    const log = [
      { type: 'customer.created', payload: { customerId: a } },
      {
        type: T.customerMerged,
        payload: { survivorId: a, mergedId: b, at: '2026-12-03T10:00:00Z', reason: 'typo' },
      },
    ];
    const r = resolveIdentities(log.map(identityEventOf).filter((e) => e !== undefined));
    expect(r.canonicalOf(b)).toBe(a);
    expect(() => identityEventOf({ type: T.customerUnmerged, payload: { survivorId: a } })).toThrow();
  });

  it('checks the event payloads', () => {
    const ids = ['0190a6c2-0000-7000-8000-000000000001', '0190a6c2-0000-7000-8000-000000000002'];
    const ok = {
      survivorId: ids[0],
      mergedId: ids[1],
      at: '2026-12-03T10:00:00Z',
      reason: 'same phone, typo in name',
    };
    expect(customerMergedSchema.parse({ ...ok, duplicateScorePct: 92, actor: 'anna' })).toMatchObject(ok);
    expect(customerUnmergedSchema.parse(ok)).toMatchObject(ok);
    expect(customerMergedSchema.safeParse({ ...ok, mergedId: ids[0] }).success).toBe(false);
    expect(customerMergedSchema.safeParse({ ...ok, duplicateScorePct: 150 }).success).toBe(false);
    expect(customerUnmergedSchema.safeParse({ ...ok, reason: undefined }).success).toBe(false);
  });
});

describe('purchase history follows the merge', () => {
  const sales = [
    { saleId: 's1', customerId: 'A', totalMinor: 1000 },
    { saleId: 's2', customerId: 'B', totalMinor: 250 },
    { saleId: 's3', totalMinor: 99 },
    { saleId: 's4', customerId: 'C', totalMinor: 500 },
  ];

  it("shows both profiles' purchases under the survivor, and splits them again after an unmerge", () => {
    const merged = resolveIdentities([merge('A', 'B')]);
    expect(purchaseHistory(sales, merged, 'B').map((s) => s.saleId)).toEqual(['s1', 's2']);
    expect(canonicalSales(sales, merged)).toEqual([
      { saleId: 's1', customerId: 'A', registeredCustomerId: 'A', totalMinor: 1000 },
      { saleId: 's2', customerId: 'A', registeredCustomerId: 'B', totalMinor: 250 },
      { saleId: 's3', totalMinor: 99 },
      { saleId: 's4', customerId: 'C', registeredCustomerId: 'C', totalMinor: 500 },
    ]);
    const undone = resolveIdentities([merge('A', 'B'), unmerge('A', 'B')]);
    expect(purchaseHistory(sales, undone, 'A').map((s) => s.saleId)).toEqual(['s1']);
    expect(purchaseHistory(sales, undone, 'B').map((s) => s.saleId)).toEqual(['s2']);
  });
});

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/** Random intents, kept only where valid, so every generated log is one HQ could have written. */
const validLog = (ids: readonly string[]) =>
  fc
    .array(fc.tuple(fc.boolean(), fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: 30 })
    .map((intents) => {
      const state = emptyIdentityState();
      const log: IdentityEvent[] = [];
      for (const [isMerge, s, m] of intents) {
        const e = isMerge ? merge(s, m) : unmerge(s, m);
        try {
          applyIdentityEvent(state, e);
          log.push(e);
        } catch {
          // not a valid step from here: HQ would have refused it
        }
      }
      return log;
    });

describe('identity resolution properties', () => {
  it('canonicalOf is idempotent and every canonical id is its own fixed point and a member', () => {
    fc.assert(
      fc.property(validLog(IDS), (log) => {
        const r = resolveIdentities(log);
        for (const id of IDS) {
          const c = r.canonicalOf(id);
          expect(r.canonicalOf(c)).toBe(c);
          expect(r.membersOf(id)).toContain(c);
          expect(r.membersOf(id)).toContain(id);
          expect(r.membersOf(c)).toEqual(r.membersOf(id));
        }
      }),
    );
  });

  it('a merge undone later leaves the partition it would have had without that merge', () => {
    fc.assert(
      fc.property(
        validLog(IDS),
        validLog(IDS),
        fc.constantFrom(...IDS),
        fc.constantFrom(...IDS),
        (before, after, s, m) => {
          const state = emptyIdentityState();
          for (const e of before) applyIdentityEvent(state, e);
          try {
            applyIdentityEvent(state, merge(s, m));
          } catch {
            return; // that merge is not possible here
          }
          // Keep the later events that are valid with the merge in force and do not undo it themselves.
          const later: IdentityEvent[] = [];
          for (const e of after) {
            if (e.type === T.customerUnmerged && e.payload.mergedId === m) continue;
            try {
              applyIdentityEvent(state, e);
              later.push(e);
            } catch {
              // refused by HQ
            }
          }
          const undone = resolveIdentities([...before, merge(s, m), ...later, unmerge(s, m)]);
          const never = resolveIdentities([...before, ...later]);
          expect(partition(undone, IDS)).toEqual(partition(never, IDS));
        },
      ),
    );
  });

  it('merge then unmerge of the same pair restores the partition', () => {
    fc.assert(
      fc.property(validLog(IDS), fc.constantFrom(...IDS), fc.constantFrom(...IDS), (log, s, m) => {
        const state = emptyIdentityState();
        for (const e of log) applyIdentityEvent(state, e);
        try {
          applyIdentityEvent(state, merge(s, m));
        } catch {
          return;
        }
        expect(partition(resolveIdentities([...log, merge(s, m), unmerge(s, m)]), IDS)).toEqual(
          partition(resolveIdentities(log), IDS),
        );
      }),
    );
  });

  it('the order of merges between unrelated customers does not matter', () => {
    const left = IDS.map((id) => `L${id}`);
    const right = IDS.map((id) => `R${id}`);
    fc.assert(
      fc.property(
        validLog(left),
        validLog(right),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (l, r, picks) => {
          const interleaved: IdentityEvent[] = [];
          let [i, j] = [0, 0];
          for (const pickLeft of picks) {
            if (pickLeft && i < l.length) interleaved.push(l[i++]!);
            else if (j < r.length) interleaved.push(r[j++]!);
          }
          interleaved.push(...l.slice(i), ...r.slice(j));
          const a = resolveIdentities([...l, ...r]);
          const b = resolveIdentities(interleaved);
          for (const id of [...left, ...right]) {
            expect(b.canonicalOf(id)).toBe(a.canonicalOf(id));
            expect(b.membersOf(id)).toEqual(a.membersOf(id));
          }
        },
      ),
    );
  });
});
