import type { EventEnvelope } from '../../core/index.ts';
import type { PayloadProblem } from '../payload-bounds.ts';
import type { EventRules } from './event-rules-config.ts';

/**
 * Business dates that cannot be right: decades away from HQ's clock (a till whose clock fell back to
 * 1970, or a forged 2090), or far from the moment the till says the event happened. A till that was
 * offline for weeks is normal and passes; the window is `dates` in the event rules.
 */
const DAY_MS = 86_400_000;

const dayNumber = (isoDate: string): number =>
  Math.floor(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) / DAY_MS);

export function datesProblem(
  e: Pick<EventEnvelope, 'businessDate' | 'occurredAt'>,
  now: Date,
  rules: EventRules['dates'],
): PayloadProblem | undefined {
  const business = dayNumber(e.businessDate);
  const occurred = Math.floor(Date.parse(e.occurredAt) / DAY_MS);
  const today = Math.floor(now.getTime() / DAY_MS);
  if (!Number.isFinite(business)) return { field: 'businessDate', reason: `${e.businessDate} is not a date` };
  if (!Number.isFinite(occurred)) return { field: 'occurredAt', reason: `${e.occurredAt} is not a moment` };
  if (business < today - rules.daysBack)
    return {
      field: 'businessDate',
      reason: `${e.businessDate} is more than ${rules.daysBack} days before HQ's date; check the till's clock`,
    };
  if (business > today + rules.daysAhead)
    return {
      field: 'businessDate',
      reason: `${e.businessDate} is more than ${rules.daysAhead} days after HQ's date; check the till's clock`,
    };
  if (Math.abs(occurred - business) > rules.skewDays)
    return {
      field: 'occurredAt',
      reason: `${e.occurredAt} is more than ${rules.skewDays} days from the business date ${e.businessDate}`,
    };
  return undefined;
}
