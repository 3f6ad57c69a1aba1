import { invalid } from '../core/index.ts';

/** The sale's moment as the store sees it: schedules and happy hours are written in local time. */
export interface LocalMoment {
  readonly epochMs: number;
  /** "2026-11-27" */
  readonly date: string;
  /** "17:30:00" */
  readonly time: string;
  /** 0 = Monday … 6 = Sunday */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdayIndex: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
        hourCycle: 'h23',
      });
    } catch {
      throw invalid('context.timeZone', `"${timeZone}" is not an IANA time zone`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

const hasOffset = (s: string): boolean => /(Z|[+-]\d{2}:\d{2})$/.test(s);

export function localMoment(at: string, timeZone: string): LocalMoment {
  const epochMs = typeof at === 'string' && hasOffset(at) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(epochMs)) throw invalid('context.at', `"${at}" is not an ISO instant with an offset`);
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(epochMs)) parts[p.type] = p.value;
  return {
    epochMs,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    weekday: weekdayIndex[parts.weekday ?? ''] ?? 0,
  };
}

/**
 * Is `now` at or after `from`? A value with an offset is an instant; without, a local wall time.
 * Local "YYYY-MM-DD[THH:MM[:SS]]" strings compare correctly as text once padded to full length.
 */
export function atOrAfter(now: LocalMoment, from: string): boolean {
  if (hasOffset(from)) return now.epochMs >= Date.parse(from);
  return `${now.date}T${now.time}` >= padLocal(from);
}

/** Is `now` before `to`? A date-only `to` includes that whole local day. */
export function before(now: LocalMoment, to: string): boolean {
  if (hasOffset(to)) return now.epochMs < Date.parse(to);
  if (to.length === 10) return now.date <= to;
  return `${now.date}T${now.time}` < padLocal(to);
}

const padLocal = (s: string): string => {
  const base = s.length === 10 ? `${s}T00:00:00` : s.length === 16 ? `${s}:00` : s;
  return base.slice(0, 19);
};

/** In a weekly window? An overnight window (22:00–02:00) belongs to the day it starts on. */
export function inWindow(
  now: LocalMoment,
  days: readonly number[] | undefined,
  start: string,
  end: string,
): boolean {
  const t = now.time.slice(0, 5);
  const onDay = (d: number): boolean => days === undefined || days.includes(d);
  if (start < end) return t >= start && t < end && onDay(now.weekday);
  return (t >= start && onDay(now.weekday)) || (t < end && onDay((now.weekday + 6) % 7));
}
