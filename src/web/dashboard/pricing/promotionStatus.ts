import type { PromotionRecord } from './pricingApi.ts';

/**
 * A promotion as the list shows it: ended when retired or past its schedule's end, scheduled before
 * its start, else active. Local schedule times are read in the viewer's zone (a chain-wide list has no
 * one store's zone); tills decide in each store's own zone.
 */
export type PromotionState = 'active' | 'scheduled' | 'ended';

const moment = (v: string): number => {
  // A date-only "to" includes that whole day, as the engine reads it.
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00`).getTime();
  return new Date(v).getTime();
};

export function promotionState(r: PromotionRecord, now: Date): PromotionState {
  if (!r.active) return 'ended';
  const s = r.definition.schedule;
  const t = now.getTime();
  if (s?.to) {
    const end = moment(s.to) + (/^\d{4}-\d{2}-\d{2}$/.test(s.to) ? 86_400_000 : 0);
    if (t >= end) return 'ended';
  }
  if (s?.from && t < moment(s.from)) return 'scheduled';
  return 'active';
}
