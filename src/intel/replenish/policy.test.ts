import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBands } from '../forecast/intervals.ts';
import { exceedProbability, fitDispersion, inflateDispersion, normalLoss } from './distribution.ts';
import { daysOfCover, defaultPolicy, emptyBatch, FLAG_CAPACITY, replenish } from './engine.ts';
import { eoq, fillRateCount, lotSize, orderNow, reorderPoint, reorderPointNormal } from './policy.ts';

describe('textbook cases', () => {
  it('EOQ: 1000 units a year, 10 per order, 0.50 to hold a unit a year → 200', () => {
    expect(eoq(1000, 10, 0.5)).toBeCloseTo(200, 9);
    expect(eoq(0, 10, 0.5)).toBeNaN();
  });

  it('normal lead-time demand N(100, 20²) at 95 % cycle service: s = 100 + 1.645·20', () => {
    expect(reorderPointNormal(100, 20, 50, { measure: 'cycle', level: 0.95 })).toBeCloseTo(132.9, 1);
  });

  it('normal loss function matches the table: L(0) = 0.3989, L(0.9) = 0.1004, L(−1) = 1.0833', () => {
    expect(normalLoss(0)).toBeCloseTo(0.3989, 4);
    expect(normalLoss(0.9)).toBeCloseTo(0.1004, 4);
    expect(normalLoss(-1)).toBeCloseTo(1.0833, 4);
  });

  it('normal fill rate 99 % with σ = 20, Q = 200: L(z) = 0.01·200/20 = 0.1 → z ≈ 0.90, s ≈ 118', () => {
    const s = reorderPointNormal(100, 20, 200, { measure: 'fill-rate', level: 0.99 });
    expect(s).toBeGreaterThan(117.8);
    expect(s).toBeLessThan(118.2);
  });
});

describe('Poisson(2) protection-period demand, by hand', () => {
  // F(k): 0.1353 0.4060 0.6767 0.8571 0.9473 0.9834 0.9955; G(k+1) = G(k) − (1 − F(k)), G(0) = 2.
  const d = { mean: 2, phi: 1 };

  it('cycle service 95 % is the first k with F(k) ≥ 0.95: k = 5', () => {
    expect(reorderPoint(d, 4, { measure: 'cycle', level: 0.95 })).toBe(5);
  });

  it('fill rate of (s=3, Q=4) is 1 − (G(3) − G(7))/4 = 1 − (0.2180 − 0.0014)/4 = 0.946', () => {
    expect(fillRateCount(d, 3, 4)).toBeCloseTo(0.9459, 3);
    expect(fillRateCount(d, 2, 4)).toBeCloseTo(0.8661, 3);
  });

  it('the reorder point is the smallest s reaching the fill-rate target', () => {
    expect(reorderPoint(d, 4, { measure: 'fill-rate', level: 0.94 })).toBe(3);
    expect(reorderPoint(d, 4, { measure: 'fill-rate', level: 0.95 })).toBe(4);
  });

  it('P(D > 7) for Poisson(7) is 0.401', () => {
    expect(exceedProbability({ mean: 7, phi: 1 }, 7)).toBeCloseTo(0.4013, 3);
    expect(exceedProbability({ mean: 7, phi: 1 }, -1)).toBe(1);
    expect(exceedProbability({ mean: 0, phi: 1 }, 0)).toBe(0);
  });
});

describe('reorder point search', () => {
  it('reaches the fill-rate target, and one unit less does not (NB demand, any lot)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 120, noNaN: true }),
        fc.double({ min: 1, max: 8, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.8, max: 0.995, noNaN: true }),
        (mean, phi, q, level) => {
          const d = { mean, phi };
          const s = reorderPoint(d, q, { measure: 'fill-rate', level });
          expect(fillRateCount(d, s, q)).toBeGreaterThanOrEqual(level - 1e-9);
          if (s > 0) expect(fillRateCount(d, s - 1, q)).toBeLessThan(level);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a higher target never lowers the reorder point', () => {
    const d = { mean: 30, phi: 2.5 };
    let prev = -1;
    for (const level of [0.8, 0.9, 0.95, 0.98, 0.99]) {
      const s = reorderPoint(d, 20, { measure: 'fill-rate', level });
      expect(s).toBeGreaterThanOrEqual(prev);
      prev = s;
    }
  });
});

describe('dispersion from the forecast quantiles', () => {
  it('recovers the φ the forecast bands were drawn with', () => {
    for (const phi of [1, 2, 4]) {
      const mean = new Float64Array(14).fill(6);
      const bands = countBands(mean, phi);
      expect(fitDispersion(mean, bands.p10, bands.p90, 0, 14)).toBe(phi);
    }
  });

  it('correlated days widen a sum: 8 days at ρ = 0.1 → φ·1.7', () => {
    expect(inflateDispersion(2, 8, 0.1)).toBeCloseTo(3.4, 9);
    expect(inflateDispersion(2, 8, 0)).toBe(2);
  });
});

describe('lots and orders', () => {
  const free = { packSize: 12, minOrder: 0, capacity: Number.POSITIVE_INFINITY };

  it('rounds the EOQ up to whole packs, then up to the minimum order', () => {
    expect(lotSize(23, 0, free)).toEqual({ qty: 24, capacityLimited: false });
    expect(lotSize(23, 0, { ...free, minOrder: 50 })).toEqual({ qty: 60, capacityLimited: false });
  });

  it('cuts the lot to whole packs that fit above the reorder point, never below one pack', () => {
    expect(lotSize(60, 10, { ...free, capacity: 40 })).toEqual({ qty: 24, capacityLimited: true });
    expect(lotSize(60, 35, { ...free, capacity: 40 })).toEqual({ qty: 12, capacityLimited: true });
  });

  it('orders the fewest lots that lift the position above s, within capacity', () => {
    expect(orderNow(11, 10, 12, free)).toBe(0);
    expect(orderNow(10, 10, 12, free)).toBe(12);
    expect(orderNow(-20, 10, 12, free)).toBe(36);
    expect(orderNow(5, 30, 12, free)).toBe(36);
    expect(orderNow(5, 30, 12, { ...free, capacity: 40 })).toBe(24);
  });

  it('days of cover follow the forecast path, then its last week', () => {
    const m = new Float64Array([2, 2, 2]);
    expect(daysOfCover(m, 0, 3, 5)).toBe(2.5);
    expect(daysOfCover(m, 0, 3, 10)).toBe(5);
    expect(daysOfCover(new Float64Array(3), 0, 3, 10)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('batch engine', () => {
  it('orders a fast seller below its reorder point and not a well-stocked one', () => {
    const b = emptyBatch(2, 28);
    const mean = new Float64Array(28).fill(4);
    const bands = countBands(mean, 1.5);
    for (let i = 0; i < 2; i++) {
      b.mean.set(mean, i * 28);
      b.p10.set(bands.p10, i * 28);
      b.p90.set(bands.p90, i * 28);
      b.leadDays[i] = 6;
      b.reviewDays[i] = 1;
      b.packSize[i] = 6;
      b.unitCost[i] = 250;
      b.orderCost[i] = 1000;
    }
    b.onHand[0] = 10;
    b.onHand[1] = 200;
    const r = replenish(b, { ...defaultPolicy, errorCorrelation: 0 });
    // Integer quantiles at a mean of 4 tell φ only roughly; ties go to the smallest.
    expect(r.phi[0]).toBeGreaterThanOrEqual(1);
    expect(r.phi[0]).toBeLessThanOrEqual(1.5);
    // 6 lead days × 4, plus the mean undershoot of one day's demand, (φ − 1 + 4)/2.
    expect(r.ltdMean[0]).toBeCloseTo(24 + ((r.phi[0] as number) - 1 + 4) / 2, 9);
    // EOQ = √(2·1460·1000/62.5) = 216.2 → 222 in packs of 6.
    expect(r.eoq[0]).toBeCloseTo(216.15, 1);
    expect(r.lot[0]).toBe(222);
    expect(r.orderQty[0]).toBe(222);
    expect(r.orderQty[1]).toBe(0);
    expect(r.daysOfCover[0]).toBe(2.5);
    expect(r.stockoutProb[0]).toBeGreaterThan(0.9);
    expect(r.stockoutProb[1]).toBeLessThan(1e-6);
  });

  it('flags a lot the capacity cut', () => {
    const b = emptyBatch(1, 14);
    b.mean.fill(3);
    b.p10.fill(1);
    b.p90.fill(5);
    b.unitCost[0] = 10;
    b.orderCost[0] = 5000;
    b.capacity[0] = 60;
    const r = replenish(b);
    expect((r.flags[0] as number) & FLAG_CAPACITY).toBe(FLAG_CAPACITY);
    expect((r.reorderPoint[0] as number) + (r.lot[0] as number)).toBeLessThanOrEqual(60);
  });
});
