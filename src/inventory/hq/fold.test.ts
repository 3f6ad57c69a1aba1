import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../core/event.ts';
import { INVENTORY_EVENT_TYPES as T } from '../events.ts';
import { type FoldState, foldInventory, type Level, levelKey, type Movement } from './fold.ts';

let n = 0;
const ev = (storeId: string, type: string, payload: Record<string, unknown>): EventEnvelope => {
  n++;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    storeId,
    terminalId: 'hq',
    seq: n,
    businessDate: '2026-03-02',
    occurredAt: '2026-03-02T10:00:00.000Z',
    payload,
  };
};
const sale = (storeId: string, sku: string, qty: number): EventEnvelope =>
  ev(storeId, 'sale.completed', {
    saleId: '0195a000-0000-7000-8000-000000000002',
    receiptNo: 'r',
    shiftId: '0195a000-0000-7000-8000-000000000001',
    cashierId: 'c',
    currency: 'EUR',
    taxInclusive: true,
    lines: [
      {
        lineNo: 1,
        sku,
        name: sku,
        qty,
        unitPriceMinor: 100,
        taxRateBp: 0,
        netMinor: 100 * qty,
        taxMinor: 0,
        grossMinor: 100 * qty,
      },
    ],
    netMinor: 100 * qty,
    taxMinor: 0,
    grossMinor: 100 * qty,
    tenders: [{ kind: 'cash', amountMinor: 100 * qty, tenderedMinor: 100 * qty, changeMinor: 0 }],
  });
const receipt = (storeId: string, sku: string, qty: number, unitCostMinor?: number): EventEnvelope =>
  ev(storeId, T.stockReceived, { sku, qty, reason: 'delivery', ...(unitCostMinor ? { unitCostMinor } : {}) });
const ship = (id: string, from: string, to: string, sku: string, qty: number): EventEnvelope =>
  ev(from, T.transferShipped, { transferId: id, toStoreId: to, lines: [{ sku, qty }] });
const recv = (id: string, from: string, to: string, sku: string, qty: number, final = false): EventEnvelope =>
  ev(to, T.transferReceived, { transferId: id, fromStoreId: from, lines: [{ sku, qty }], final });

const fresh = (): FoldState => ({ levels: new Map(), transfers: new Map() });
const level = (s: FoldState, storeId: string, sku: string): Level | undefined =>
  s.levels.get(levelKey(storeId, sku));

/** Every column of every level, summed from the movements alone. */
function sums(movements: readonly Movement[]): Map<string, Omit<Level, 'avgCostMinor'>> {
  const out = new Map<string, Omit<Level, 'avgCostMinor'>>();
  for (const m of movements) {
    const k = levelKey(m.storeId, m.sku);
    const r = out.get(k) ?? {
      storeId: m.storeId,
      sku: m.sku,
      onHand: 0,
      reserved: 0,
      inTransitIn: 0,
      inTransitOut: 0,
    };
    r.onHand += m.onHand;
    r.reserved += m.reserved;
    r.inTransitIn += m.inTransitIn;
    r.inTransitOut += m.inTransitOut;
    out.set(k, r);
  }
  return out;
}

describe('inventory fold', () => {
  it('keeps a moving-average cost from supplier receipts', () => {
    const s = fresh();
    foldInventory(s, [receipt('S1', 'A', 10, 100), receipt('S1', 'A', 30, 200), sale('S1', 'A', 20)]);
    // (10 × 100 + 30 × 200) / 40 = 175; a sale does not change the average.
    expect(level(s, 'S1', 'A')).toMatchObject({ onHand: 20, avgCostMinor: 175 });
    foldInventory(s, [receipt('S1', 'A', 20, 75)]);
    expect(level(s, 'S1', 'A')?.avgCostMinor).toBe(125);
  });

  it('raises a negative-stock exception when a till sells what HQ thought was gone', () => {
    const s = fresh();
    const out = foldInventory(s, [receipt('S1', 'A', 1), sale('S1', 'A', 1), sale('S1', 'A', 2)]);
    expect(out.negatives).toEqual([expect.objectContaining({ storeId: 'S1', sku: 'A', onHand: -2 })]);
  });

  it('ends a transfer received before its shipment arrived as if they came in order', () => {
    const inOrder = fresh();
    const reversed = fresh();
    const a = [ship('t1', 'S1', 'S2', 'A', 5), recv('t1', 'S1', 'S2', 'A', 3)];
    foldInventory(inOrder, a);
    foldInventory(reversed, [...a].reverse());
    for (const s of [inOrder, reversed]) {
      expect(level(s, 'S1', 'A')).toMatchObject({ onHand: -5, inTransitOut: 2 });
      expect(level(s, 'S2', 'A')).toMatchObject({ onHand: 3, inTransitIn: 2 });
    }
    // Closing a short transfer clears the road; the 2 missing units are the discrepancy.
    foldInventory(inOrder, [recv('t1', 'S1', 'S2', 'A', 0, true)]);
    expect(level(inOrder, 'S1', 'A')?.inTransitOut).toBe(0);
    expect(level(inOrder, 'S2', 'A')?.inTransitIn).toBe(0);
    expect(inOrder.transfers.get('t1')?.lines.get('A')).toEqual({ shipped: 5, received: 3 });
  });

  const stores = ['S1', 'S2', 'S3'];
  const skus = ['A', 'B'];
  const op = fc.oneof(
    fc.record({
      k: fc.constant('sale'),
      s: fc.constantFrom(...stores),
      sku: fc.constantFrom(...skus),
      q: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({
      k: fc.constant('receipt'),
      s: fc.constantFrom(...stores),
      sku: fc.constantFrom(...skus),
      q: fc.integer({ min: 1, max: 20 }),
      c: fc.integer({ min: 1, max: 999 }),
    }),
    fc.record({
      k: fc.constant('ship'),
      t: fc.integer({ min: 1, max: 4 }),
      sku: fc.constantFrom(...skus),
      q: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({
      k: fc.constant('recv'),
      t: fc.integer({ min: 1, max: 4 }),
      sku: fc.constantFrom(...skus),
      q: fc.integer({ min: 0, max: 8 }),
      f: fc.boolean(),
    }),
    fc.record({
      k: fc.constant('reserve'),
      r: fc.integer({ min: 1, max: 6 }),
      s: fc.constantFrom(...stores),
      sku: fc.constantFrom(...skus),
      q: fc.integer({ min: 1, max: 3 }),
    }),
    fc.record({ k: fc.constant('close'), r: fc.integer({ min: 1, max: 6 }), confirm: fc.boolean() }),
    fc.record({
      k: fc.constant('writeoff'),
      s: fc.constantFrom(...stores),
      sku: fc.constantFrom(...skus),
      q: fc.integer({ min: 1, max: 3 }),
    }),
  );
  // Transfer t goes from stores[t % 3] to stores[(t + 1) % 3]; a reservation is closed at most once.
  type Op = {
    k: string;
    s: string;
    sku: string;
    q: number;
    c: number;
    t: number;
    f: boolean;
    r: number;
    confirm: boolean;
  };
  const toEvents = (ops: readonly object[]): EventEnvelope[] => {
    const open = new Map<number, { s: string; sku: string; q: number }>();
    const events: EventEnvelope[] = [];
    // Each generated record carries the fields of its kind only; the kind says which are there.
    for (const o of ops as Op[]) {
      const from = stores[o.t % 3]!;
      const to = stores[(o.t + 1) % 3]!;
      if (o.k === 'sale') events.push(sale(o.s, o.sku, o.q));
      else if (o.k === 'receipt') events.push(receipt(o.s, o.sku, o.q, o.c));
      else if (o.k === 'ship') events.push(ship(`t${o.t}`, from, to, o.sku, o.q));
      else if (o.k === 'recv') events.push(recv(`t${o.t}`, from, to, o.sku, o.q, o.f));
      else if (o.k === 'writeoff')
        events.push(ev(o.s, T.stockWrittenOff, { sku: o.sku, qty: o.q, reason: 'damaged' }));
      else if (o.k === 'reserve' && !open.has(o.r)) {
        open.set(o.r, { s: o.s, sku: o.sku, q: o.q });
        events.push(
          ev(o.s, T.stockReserved, {
            reservationId: `r${o.r}`,
            expiresAt: '2026-03-02T10:20:00.000Z',
            lines: [{ sku: o.sku, qty: o.q }],
          }),
        );
      } else if (o.k === 'close' && open.has(o.r)) {
        const r = open.get(o.r)!;
        open.delete(o.r);
        const lines = [{ sku: r.sku, qty: r.q }];
        events.push(
          o.confirm
            ? ev(r.s, T.reservationConfirmed, { reservationId: `r${o.r}`, lines })
            : ev(r.s, T.reservationReleased, { reservationId: `r${o.r}`, reason: 'cancelled', lines }),
        );
      }
    }
    return events;
  };

  it('keeps every level equal to the sum of its movements, whatever the interleaving', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = fresh();
        const out = foldInventory(s, toEvents(ops));
        const summed = sums(out.movements);
        for (const [k, l] of s.levels) {
          const m = summed.get(k) ?? { onHand: 0, reserved: 0, inTransitIn: 0, inTransitOut: 0 };
          expect({
            onHand: l.onHand,
            reserved: l.reserved,
            inTransitIn: l.inTransitIn,
            inTransitOut: l.inTransitOut,
          }).toEqual({
            onHand: m.onHand,
            reserved: m.reserved,
            inTransitIn: m.inTransitIn,
            inTransitOut: m.inTransitOut,
          });
          expect(l.reserved).toBeGreaterThanOrEqual(0);
          expect(l.inTransitIn).toBeGreaterThanOrEqual(0);
          expect(l.inTransitOut).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reaches the same stock whichever order transfer halves and sales arrive in', () => {
    const moveOnly = fc.oneof(
      fc.record({
        k: fc.constant('sale'),
        s: fc.constantFrom(...stores),
        sku: fc.constantFrom(...skus),
        q: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({
        k: fc.constant('ship'),
        t: fc.integer({ min: 1, max: 4 }),
        sku: fc.constantFrom(...skus),
        q: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({
        k: fc.constant('recv'),
        t: fc.integer({ min: 1, max: 4 }),
        sku: fc.constantFrom(...skus),
        q: fc.integer({ min: 0, max: 8 }),
        f: fc.constant(false),
      }),
    );
    fc.assert(
      fc.property(fc.array(moveOnly, { maxLength: 40 }), fc.integer(), (ops, seed) => {
        const events = toEvents(ops);
        const shuffled = [...events].sort((a, b) => hash(a.id, seed) - hash(b.id, seed));
        const a = fresh();
        const b = fresh();
        foldInventory(a, events);
        foldInventory(b, shuffled);
        const view = (s: FoldState) =>
          [...s.levels.values()]
            .map((l) => `${l.storeId}/${l.sku}:${l.onHand}/${l.inTransitIn}/${l.inTransitOut}`)
            .sort();
        expect(view(b)).toEqual(view(a));
      }),
      { numRuns: 200 },
    );
  });
});

const hash = (s: string, seed: number): number => {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 2654435761);
  return h >>> 0;
};
