/**
 * The lists a manager reads each morning: what is likely to run out this week, what sells too slowly and
 * what has stopped selling, each with the money at stake at cost. Rows are indices into the batch.
 */
import type { ReplenishBatch, ReplenishResult } from './engine.ts';

export interface ListOptions {
  /** Listed as at risk from this probability of demand exceeding what is available in the window. */
  minStockoutProb: number;
  /** Dead: stock on hand and no sale for this many days. */
  deadAfterDays: number;
  /** Slow: more than this many weeks of cover at the forecast rate. */
  slowWeeks: number;
}

export const defaultListOptions: ListOptions = { minStockoutProb: 0.5, deadAfterDays: 90, slowWeeks: 26 };

export interface RiskRow {
  row: number;
  probability: number;
  daysOfCover: number;
  /** Forecast demand in the window beyond what is available, at cost: the sales at risk. */
  shortValueMinor: number;
}

export interface StockRow {
  row: number;
  onHand: number;
  weeksOfCover: number;
  /** On hand at cost. */
  valueMinor: number;
  daysSinceSale: number;
}

export interface Lists {
  stockouts: RiskRow[];
  slow: StockRow[];
  dead: StockRow[];
}

/**
 * `daysSinceSale[i]`: days since row i last sold, −1 when unknown. Dead stock takes precedence over slow
 * (an item listed as dead is not listed again as slow). Each list is sorted by money at stake, largest first.
 */
export function buildLists(
  b: ReplenishBatch,
  r: ReplenishResult,
  daysSinceSale: Int32Array,
  windowDays: number,
  o: ListOptions = defaultListOptions,
): Lists {
  const stockouts: RiskRow[] = [];
  const slow: StockRow[] = [];
  const dead: StockRow[] = [];
  for (let i = 0; i < b.n; i++) {
    const onHand = b.onHand[i] as number;
    const cost = b.unitCost[i] as number;
    const p = r.stockoutProb[i] as number;
    if (p >= o.minStockoutProb) {
      let demand = 0;
      for (let t = 0; t < Math.min(windowDays, b.h); t++) demand += b.mean[i * b.h + t] as number;
      const short = Math.max(0, demand - onHand - (b.inbound[i] as number));
      stockouts.push({
        row: i,
        probability: p,
        daysOfCover: r.daysOfCover[i] as number,
        shortValueMinor: Math.round(short * cost),
      });
    }
    if (onHand <= 0) continue;
    const since = daysSinceSale[i] as number;
    const weeks = (r.daysOfCover[i] as number) / 7;
    const row = {
      row: i,
      onHand,
      weeksOfCover: weeks,
      valueMinor: Math.round(onHand * cost),
      daysSinceSale: since,
    };
    if (since >= o.deadAfterDays) dead.push(row);
    else if (weeks > o.slowWeeks) slow.push(row);
  }
  stockouts.sort((a, c) => c.probability - a.probability || c.shortValueMinor - a.shortValueMinor);
  slow.sort((a, c) => c.valueMinor - a.valueMinor);
  dead.sort((a, c) => c.valueMinor - a.valueMinor);
  return { stockouts, slow, dead };
}
