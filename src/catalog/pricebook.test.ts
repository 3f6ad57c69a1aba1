import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesFrom, type PriceEntry, priceInForce } from './pricebook.ts';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const at = (h: number): string => new Date(T0 + h * HOUR).toISOString();

const entryArb = fc
  .record({
    sku: fc.constantFrom('A', 'B'),
    scope: fc.constantFrom('chain', 'zone', 'store') as fc.Arbitrary<PriceEntry['scope']>,
    zone: fc.constantFrom('Z1', 'Z2'),
    store: fc.constantFrom('S1', 'S2'),
    priceMinor: fc.integer({ min: 0, max: 10_000 }),
    from: fc.integer({ min: 0, max: 48 }),
    length: fc.option(fc.integer({ min: 1, max: 48 }), { nil: undefined }),
  })
  .map((r) => ({
    sku: r.sku,
    scope: r.scope,
    scopeId: r.scope === 'chain' ? '' : r.scope === 'zone' ? r.zone : r.store,
    priceMinor: r.priceMinor,
    effectiveFrom: at(r.from),
    effectiveTo: r.length === undefined ? null : at(r.from + r.length),
  }));
const entriesArb = fc
  .array(entryArb, { maxLength: 30 })
  .map((es) => es.map((e, i): PriceEntry => ({ ...e, id: i + 1 })));
const whereArb = fc.record({
  storeId: fc.constantFrom('S1', 'S2'),
  zoneId: fc.constantFrom('Z1', 'Z2', undefined),
});

describe('pricebook', () => {
  const chain: PriceEntry = {
    id: 1,
    sku: 'A',
    scope: 'chain',
    scopeId: '',
    priceMinor: 199,
    effectiveFrom: at(0),
  };
  const zone: PriceEntry = {
    id: 2,
    sku: 'A',
    scope: 'zone',
    scopeId: 'Z1',
    priceMinor: 189,
    effectiveFrom: at(0),
  };
  const sale: PriceEntry = {
    id: 3,
    sku: 'A',
    scope: 'store',
    scopeId: 'S1',
    priceMinor: 149,
    effectiveFrom: at(24),
    effectiveTo: at(48),
  };
  const book = [chain, zone, sale];

  it('resolves store over zone over chain, each only while in force', () => {
    const s1 = { storeId: 'S1', zoneId: 'Z1' };
    expect(priceInForce(book, 'A', s1, at(1))?.priceMinor).toBe(189);
    expect(priceInForce(book, 'A', s1, at(24))?.priceMinor).toBe(149);
    expect(priceInForce(book, 'A', s1, at(48))?.priceMinor).toBe(189); // `to` is exclusive
    expect(priceInForce(book, 'A', { storeId: 'S2' }, at(30))?.priceMinor).toBe(199);
    expect(priceInForce(book, 'A', s1, at(-1))).toBeUndefined();
  });

  it('keeps history: a later chain price wins from its start, the old one still answers for the past', () => {
    const rise: PriceEntry = { ...chain, id: 4, priceMinor: 219, effectiveFrom: at(10) };
    expect(priceInForce([chain, rise], 'A', { storeId: 'S9' }, at(9))?.priceMinor).toBe(199);
    expect(priceInForce([chain, rise], 'A', { storeId: 'S9' }, at(10))?.priceMinor).toBe(219);
    // A correction with the same start, recorded later, replaces it.
    const fix: PriceEntry = { ...rise, id: 5, priceMinor: 215 };
    expect(priceInForce([fix, rise, chain], 'A', { storeId: 'S9' }, at(11))?.priceMinor).toBe(215);
  });

  it('sends a till the price in force and the scheduled ones, nothing that can no longer apply', () => {
    const rise: PriceEntry = { ...chain, id: 4, priceMinor: 219, effectiveFrom: at(10) };
    const later: PriceEntry = { ...chain, id: 5, priceMinor: 229, effectiveFrom: at(100) };
    const sent = entriesFrom([chain, rise, later, sale], { storeId: 'S2' }, at(12));
    expect(sent.map((e) => e.id)).toEqual([4, 5]);
  });

  it('picks an entry in force that no other applicable entry in force beats', () => {
    fc.assert(
      fc.property(entriesArb, whereArb, fc.integer({ min: -1, max: 100 }), (es, where, h) => {
        const t = at(h);
        const got = priceInForce(es, 'A', where, t);
        const ms = Date.parse(t);
        const live = es.filter(
          (e) =>
            e.sku === 'A' &&
            (e.scope === 'chain' ||
              (e.scope === 'zone' && e.scopeId === where.zoneId) ||
              (e.scope === 'store' && e.scopeId === where.storeId)) &&
            Date.parse(e.effectiveFrom) <= ms &&
            (e.effectiveTo == null || ms < Date.parse(e.effectiveTo)),
        );
        if (live.length === 0) {
          expect(got).toBeUndefined();
          return;
        }
        const rank = { chain: 0, zone: 1, store: 2 };
        const key = (e: PriceEntry) => [rank[e.scope], Date.parse(e.effectiveFrom), e.id];
        const max = live.reduce((a, b) => {
          const [x, y] = [key(a), key(b)];
          for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]! ? a : b;
          return a;
        });
        expect(got).toBe(max);
      }),
    );
  });

  it('resolves the same whatever the order of the entries', () => {
    fc.assert(
      fc.property(
        entriesArb,
        whereArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer(),
        (es, where, h, seed) => {
          const shuffled = [...es].sort((a, b) => ((a.id * 7919 + seed) % 97) - ((b.id * 7919 + seed) % 97));
          expect(priceInForce(shuffled, 'B', where, at(h))).toEqual(priceInForce(es, 'B', where, at(h)));
        },
      ),
    );
  });

  it('what a till receives prices every instant from now on as the whole history does', () => {
    fc.assert(
      fc.property(
        entriesArb,
        whereArb,
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (es, where, now, later) => {
          const sent = entriesFrom(es, where, at(now));
          for (const sku of ['A', 'B']) {
            const t = at(now + later);
            expect(priceInForce(sent, sku, where, t)).toEqual(priceInForce(es, sku, where, t));
          }
        },
      ),
    );
  });
});
