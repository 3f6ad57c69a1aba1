/**
 * ISO calendar dates (YYYY-MM-DD) as UTC milliseconds and back: the day arithmetic that catalog
 * calendars, forecasting panels and the demo history share.
 */

/** Milliseconds since epoch (UTC) of an ISO date; NaN when it is not a real YYYY-MM-DD date. */
export function isoToUtcMs(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return Number.NaN;
  const ms = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return new Date(ms).toISOString().slice(0, 10) === iso ? ms : Number.NaN;
}

export function utcMsToIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
