import type { PaceResponse } from '../../../contracts/index.ts';

/** "Tuesday" for a YYYY-MM-DD date (read as a calendar day, so no zone can shift it). */
export const weekdayOf = (date: string): string =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });

/**
 * What a tile's change is measured against, in words, so nobody reads −98 % at 6 a.m. as a bad day:
 * "vs last Tuesday by 06:00" while the day runs, "vs last Tuesday" once whole days compare.
 */
export function compareWords(pace: PaceResponse, day: 'lastWeek' | 'lastYear'): string {
  const weekday = weekdayOf(pace.compare[day]);
  const by = pace.compare.through ? ` by ${pace.compare.through}` : '';
  return day === 'lastWeek' ? `vs last ${weekday}${by}` : `vs ${weekday} last year${by}`;
}
