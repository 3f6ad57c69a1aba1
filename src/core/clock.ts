/** Time comes through a clock so tests and simulations can fix or advance it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (
  start: Date | string,
): Clock & { advance(ms: number): void; set(d: Date): void } => {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
};

// Building an Intl formatter costs far more than using one; a till asks for the same zone all day.
const cache = new Map<string, Intl.DateTimeFormat>();
function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/**
 * The business date of a moment in a store's time zone (YYYY-MM-DD). A sale at 00:30 local time
 * belongs to that local day, not to UTC's.
 */
export const businessDate = (at: Date, timeZone: string): string => {
  const parts = cached(
    `date:${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
};

/** The zone's UTC offset at that moment, as "+01:00". */
export const utcOffset = (at: Date, timeZone: string): string => {
  const name =
    cached(
      `offset:${timeZone}`,
      () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
    )
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
};
