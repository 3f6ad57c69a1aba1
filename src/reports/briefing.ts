import type { AtRiskRow, BriefingAction, SlowMoverRow, TillTerminal } from '../contracts/index.ts';
import { formatMinor } from '../core/index.ts';

/** A category (or store) whose sales yesterday fell outside the forecast's p10–p90 band. */
export interface Deviation {
  storeId: string;
  key: string;
  name: string;
  actual: number;
  forecast: number;
  p10: number;
  p90: number;
}

/** A valuable customer segment that shrank since the previous scoring run (intel/customers/hq). */
export interface SegmentShrinkRow {
  segment: string;
  before: number;
  now: number;
  /** Former members now in an at-risk segment, and their 12-month value. */
  atRisk: number;
  atRiskClv12Minor: number;
  currency: string;
}

export interface BriefingInputs {
  atRisk: readonly AtRiskRow[];
  /** Valuable segments that shrank since the previous customer scoring run; the largest loss is named. */
  segmentShrinks?: readonly SegmentShrinkRow[];
  slowMovers: readonly SlowMoverRow[];
  deviations: readonly Deviation[];
  terminals: readonly (TillTerminal & { storeId: string })[];
  currency: string;
}

/** A till is behind when its oldest unsent event is older than this. */
export const SYNC_BEHIND_SECONDS = 15 * 60;
export const MAX_ACTIONS = 5;

const q = (s: string, params: Record<string, string>): string =>
  `${s}?${new URLSearchParams(params).toString()}`;
const r1 = (x: number): number => Math.round(x * 10) / 10;
const pct = (actual: number, forecast: number): number =>
  forecast > 0 ? Math.round(((actual - forecast) / forecast) * 100) : 0;
const hoursText = (s: number): string =>
  s >= 3600 ? `${r1(s / 3600)} hours` : `${Math.round(s / 60)} minutes`;

export function stockoutAction(r: AtRiskRow): BriefingAction {
  const cover = r.daysOfCover ?? 0;
  return {
    kind: 'stockout',
    title: `Reorder ${r.name} at ${r.storeId}`,
    detail: `${r.available} available against ${r.forecast7d} expected to sell this week (about ${cover} days of cover).`,
    numbers: { available: r.available, forecast7d: r.forecast7d, daysOfCover: cover },
    link: q('#/insights/forecast', { store: r.storeId, sku: r.sku }),
  };
}

export function overstockAction(r: SlowMoverRow, currency: string): BriefingAction {
  return {
    kind: 'overstock',
    title: `Too much ${r.name} at ${r.storeId}`,
    detail:
      `${r.onHand} on hand, ${r.units28d} sold in 28 days` +
      `${r.daysOfCover === null ? '' : ` (${r.daysOfCover} days of cover)`}; ${formatMinor(r.valueAtCostMinor, currency)} ${currency} at cost.`,
    numbers: {
      onHand: r.onHand,
      units28d: r.units28d,
      ...(r.daysOfCover === null ? {} : { daysOfCover: r.daysOfCover }),
      valueAtCostMinor: r.valueAtCostMinor,
    },
    link: q('#/ops/inventory', { store: r.storeId }),
  };
}

export function deviationAction(d: Deviation): BriefingAction {
  const forecast = r1(d.forecast);
  const change = pct(d.actual, d.forecast);
  return {
    kind: 'deviation',
    title: `${d.name} at ${d.storeId} sold ${d.actual > d.forecast ? 'above' : 'below'} forecast yesterday`,
    detail: `${d.actual} units against ${forecast} forecast (${change > 0 ? '+' : ''}${change}%), outside the usual range ${r1(d.p10)}–${r1(d.p90)}.`,
    numbers: { actual: d.actual, forecast, changePercent: change, p10: r1(d.p10), p90: r1(d.p90) },
    link: q('#/insights/forecast', { store: d.storeId, category: d.key }),
  };
}

export function segmentShrinkAction(s: SegmentShrinkRow): BriefingAction {
  const name = s.segment.charAt(0).toUpperCase() + s.segment.slice(1);
  const ask =
    s.atRisk > 0
      ? `invite the ${s.atRisk} at-risk former ${s.segment} back: expected value ${formatMinor(s.atRiskClv12Minor, s.currency)} ${s.currency} over 12 months.`
      : 'see where they went on the Customers panel.';
  return {
    kind: 'customers',
    title: `${name} shrank from ${s.before} to ${s.now} customers since the previous scoring`,
    detail: `${s.before - s.now} fewer; ${ask}`,
    numbers: { before: s.before, now: s.now, atRisk: s.atRisk, atRiskClv12Minor: s.atRiskClv12Minor },
    link: q('#/insights/customers', { segment: s.segment }),
  };
}

export function syncAction(t: TillTerminal & { storeId: string }): BriefingAction {
  const lag = t.lagSeconds ?? 0;
  return {
    kind: 'sync',
    title: `Till ${t.terminalId} is behind on syncing`,
    detail: `${t.unsent ?? 0} events not yet at head office, the oldest waiting ${hoursText(lag)}.`,
    numbers: { unsent: t.unsent ?? 0, lagSeconds: lag },
    link: q('#/ops/tills', { store: t.storeId }),
  };
}

/** A till whose sync stopped on a conflict: its new sales stay on the till until someone acts. */
export function stoppedSyncAction(t: TillTerminal & { storeId: string }): BriefingAction {
  return {
    kind: 'sync',
    title: `Till ${t.terminalId} has stopped syncing`,
    detail:
      `Head office refused ${t.conflicts} of its events as conflicts (its ledger went back in time); ` +
      `its sales are safe on the till but reach head office only once the conflicts are resolved.`,
    numbers: { conflicts: t.conflicts, unsent: t.unsent ?? 0 },
    link: q('#/ops/tills', { store: t.storeId }),
  };
}

/**
 * Pure: the top five actions. The two largest stock-out risks first (a lost sale is lost for good),
 * then the largest overstock, the largest deviation from forecast, the valuable
 * customer segment that shrank most (by the value of its former members now at risk), a till whose sync stopped on a
 * conflict (else the till furthest behind), and any
 * room left goes to further stock-out risks.
 */
export function pickActions(i: BriefingInputs): BriefingAction[] {
  const stockouts = i.atRisk.map(stockoutAction); // already sorted by shortfall
  const out: BriefingAction[] = stockouts.slice(0, 2);
  const over = i.slowMovers[0];
  if (over) out.push(overstockAction(over, i.currency));
  const dev = [...i.deviations]
    .filter((d) => d.actual < d.p10 || d.actual > d.p90)
    .sort((a, b) => Math.abs(b.actual - b.forecast) - Math.abs(a.actual - a.forecast))[0];
  if (dev) out.push(deviationAction(dev));
  const shrink = [...(i.segmentShrinks ?? [])].sort(
    (a, b) => b.atRiskClv12Minor - a.atRiskClv12Minor || b.before - b.now - (a.before - a.now),
  )[0];
  if (shrink) out.push(segmentShrinkAction(shrink));
  const behind = i.terminals
    .filter((t) => (t.lagSeconds ?? 0) >= SYNC_BEHIND_SECONDS && (t.unsent ?? 0) > 0)
    .sort((a, b) => (b.lagSeconds ?? 0) - (a.lagSeconds ?? 0))[0];
  const stopped = i.terminals.filter((t) => t.conflicts > 0).sort((a, b) => b.conflicts - a.conflicts)[0];
  if (stopped) out.push(stoppedSyncAction(stopped));
  else if (behind) out.push(syncAction(behind));
  for (const s of stockouts.slice(2)) if (out.length < MAX_ACTIONS) out.push(s);
  return out.slice(0, MAX_ACTIONS);
}

/** The briefing as text, one numbered line per action: the template an LLM may only rephrase. */
export function briefingText(scopeName: string, date: string, actions: readonly BriefingAction[]): string {
  if (actions.length === 0)
    return `Morning briefing for ${scopeName}, ${date}: nothing needs your attention.`;
  return [
    `Morning briefing for ${scopeName}, ${date}:`,
    ...actions.map((a, n) => `${n + 1}. ${a.title}: ${a.detail}`),
  ].join('\n');
}
