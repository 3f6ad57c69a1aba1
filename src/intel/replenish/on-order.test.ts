import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, replenish } from './engine.ts';
import { type ForecastRows, type ReplenishInput, toBatch } from './inputs.ts';
import { allocateDeliveries, type OpenOrderLine, onOrderByItem } from './on-order.ts';

/**
 * Defect 14's class: a unit committed to a store — on an approved order, in transit — is counted in the
 * inventory position exactly once until it arrives, so a run after a run orders nothing new.
 */
const line = (over: Partial<OpenOrderLine>): OpenOrderLine => ({
  draftId: 'po-1',
  lineNo: 1,
  storeId: 'S1',
  sku: 'COFFEE',
  qty: 24,
  receivedQty: 0,
  approvedAt: 1_000,
  ...over,
});

describe('matching deliveries to approved orders', () => {
  it('a delivery of part of an order leaves only the rest on order', () => {
    const lines = [line({})];
    const m = allocateDeliveries(lines, [
      { eventId: 'e1', storeId: 'S1', sku: 'COFFEE', qty: 10, at: 2_000 },
    ]);
    expect(m).toEqual([{ eventId: 'e1', draftId: 'po-1', lineNo: 1, qty: 10 }]);
    expect(onOrderByItem([{ ...lines[0]!, receivedQty: 10 }])).toEqual(new Map([['S1|COFFEE', 14]]));
  });

  it('fills the order a delivery names first, then the oldest approved; surplus fills nothing', () => {
    const lines = [
      line({ draftId: 'po-old', qty: 6, approvedAt: 1_000 }),
      line({ draftId: 'po-new', qty: 12, approvedAt: 1_500 }),
    ];
    const named = allocateDeliveries(lines, [
      { eventId: 'e1', storeId: 'S1', sku: 'COFFEE', qty: 8, at: 2_000, reference: 'po-new' },
    ]);
    expect(named).toEqual([{ eventId: 'e1', draftId: 'po-new', lineNo: 1, qty: 8 }]);
    const unnamed = allocateDeliveries(lines, [
      { eventId: 'e2', storeId: 'S1', sku: 'COFFEE', qty: 30, at: 2_000 },
    ]);
    expect(unnamed).toEqual([
      { eventId: 'e2', draftId: 'po-old', lineNo: 1, qty: 6 },
      { eventId: 'e2', draftId: 'po-new', lineNo: 1, qty: 12 },
    ]);
  });

  it('a delivery that came before the order was approved, or for another store or SKU, fills nothing', () => {
    const lines = [line({ approvedAt: 5_000 })];
    expect(
      allocateDeliveries(lines, [
        { eventId: 'e1', storeId: 'S1', sku: 'COFFEE', qty: 5, at: 4_000 },
        { eventId: 'e2', storeId: 'S2', sku: 'COFFEE', qty: 5, at: 6_000 },
        { eventId: 'e3', storeId: 'S1', sku: 'TEA', qty: 5, at: 6_000 },
      ]),
    ).toEqual([]);
  });

  it('never fills a line past its quantity nor uses more of a delivery than it brought', () => {
    const lineArb = fc.record({
      draftId: fc.constantFrom('a', 'b', 'c'),
      lineNo: fc.integer({ min: 1, max: 3 }),
      storeId: fc.constantFrom('S1', 'S2'),
      sku: fc.constantFrom('X', 'Y'),
      qty: fc.integer({ min: 0, max: 50 }),
      receivedQty: fc.integer({ min: 0, max: 50 }),
      approvedAt: fc.integer({ min: 0, max: 100 }),
    });
    const deliveryArb = fc.record({
      eventId: fc.uuid(),
      storeId: fc.constantFrom('S1', 'S2'),
      sku: fc.constantFrom('X', 'Y'),
      qty: fc.integer({ min: 1, max: 60 }),
      at: fc.integer({ min: 0, max: 100 }),
      reference: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(lineArb, { selector: (l) => `${l.draftId}#${l.lineNo}`, maxLength: 6 }),
        fc.uniqueArray(deliveryArb, { selector: (d) => d.eventId, maxLength: 6 }),
        (lines, deliveries) => {
          const m = allocateDeliveries(lines, deliveries);
          for (const l of lines) {
            const got = m.filter((x) => x.draftId === l.draftId && x.lineNo === l.lineNo);
            expect(got.reduce((s, x) => s + x.qty, 0)).toBeLessThanOrEqual(
              Math.max(0, l.qty - l.receivedQty),
            );
            for (const x of got)
              expect(deliveries.find((d) => d.eventId === x.eventId)?.at).toBeGreaterThanOrEqual(
                l.approvedAt,
              );
          }
          for (const d of deliveries) {
            const used = m.filter((x) => x.eventId === d.eventId);
            expect(used.reduce((s, x) => s + x.qty, 0)).toBeLessThanOrEqual(d.qty);
            for (const x of used) {
              const l = lines.find((y) => y.draftId === x.draftId && y.lineNo === x.lineNo);
              expect([l?.storeId, l?.sku]).toEqual([d.storeId, d.sku]);
            }
          }
        },
      ),
    );
  });
});

describe('the inventory position counts what is on order', () => {
  const flat = (mean: number, days = 28): ForecastRows => ({
    model: 'flat',
    dates: Array.from({ length: days }, (_, i) => `2026-04-${String(i + 1).padStart(2, '0')}`),
    mean: Array(days).fill(mean),
    p10: Array(days).fill(mean * 0.5),
    p90: Array(days).fill(mean * 1.6),
  });

  /** One run: the quantity ordered per series, with `onOrder` on top of each input's own. */
  const run = (
    inputs: ReplenishInput[],
    forecasts: Map<string, ForecastRows>,
    onOrder: Map<string, number>,
  ) => {
    const { batch, rows } = toBatch(
      inputs.map((i) => ({ ...i, onOrder: (i.onOrder ?? 0) + (onOrder.get(i.seriesId) ?? 0) })),
      forecasts,
      28,
    );
    const r = replenish(batch, defaultPolicy);
    return rows.map((x, k) => ({
      seriesId: x.seriesId,
      storeId: x.storeId,
      sku: x.sku,
      qty: r.orderQty[k] as number,
    }));
  };

  it('running twice in a row without sales orders nothing the second time, and a part delivery changes nothing', () => {
    const item = fc.record({
      mean: fc.double({ min: 0.05, max: 40, noNaN: true }),
      onHand: fc.integer({ min: 0, max: 300 }),
      inTransit: fc.integer({ min: 0, max: 50 }),
      leadDays: fc.integer({ min: 1, max: 14 }),
      reviewDays: fc.integer({ min: 1, max: 7 }),
      packSize: fc.integer({ min: 1, max: 12 }),
      minOrder: fc.integer({ min: 0, max: 48 }),
      capacity: fc.option(fc.integer({ min: 20, max: 600 }), { nil: undefined }),
      delivered: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), (items) => {
        const inputs: ReplenishInput[] = items.map((x, i) => ({
          seriesId: `S1|SKU${i}`,
          storeId: 'S1',
          sku: `SKU${i}`,
          onHand: x.onHand,
          onOrder: x.inTransit,
          unitCostMinor: 250,
          leadDays: x.leadDays,
          reviewDays: x.reviewDays,
          packSize: x.packSize,
          minOrder: x.minOrder,
          ...(x.capacity !== undefined ? { capacity: x.capacity } : {}),
        }));
        const forecasts = new Map(items.map((x, i) => [`S1|SKU${i}`, flat(x.mean)]));
        const first = run(inputs, forecasts, new Map());
        // The first run's orders are approved: they are on order now.
        const approved = first
          .filter((o) => o.qty > 0)
          .map((o) => ({ storeId: o.storeId, sku: o.sku, qty: o.qty, receivedQty: 0 }));
        const second = run(inputs, forecasts, onOrderByItem(approved));
        expect(second.filter((o) => o.qty > 0)).toEqual([]);
        // Part of each order arrives: on hand up, on order down by as much; still nothing to order.
        const received = approved.map((l, k) => ({
          ...l,
          receivedQty: Math.floor(l.qty * (items[Number(l.sku.slice(3))]?.delivered ?? 0)),
          k,
        }));
        const afterDelivery = inputs.map((inp) => ({
          ...inp,
          onHand: inp.onHand + (received.find((r) => r.sku === inp.sku)?.receivedQty ?? 0),
        }));
        const third = run(afterDelivery, forecasts, onOrderByItem(received));
        expect(third.filter((o) => o.qty > 0)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
