import { formatMinor, formatMoney } from '../core/index.ts';
import { storeLocale } from './locale.ts';

/**
 * The one way the register, its receipts, slips and reports write a date, a time or an amount: in the
 * store's locale (contracts/locale.ts), so a Berlin till shows 02.12.2026, 14:05 and 1.234,50 €
 * whatever language the browser or the server runs in. Browser safe.
 *
 * Two kinds of instant: `date`/`time`/`dateTime` show an instant (a Date, or ISO text with any offset)
 * on the store's clock; the `wall*` ones show the wall-clock time an event recorded (occurredAt carries
 * the store's own offset), so a receipt reprinted after a change of time zone shows what it showed.
 */
export interface StoreFormat {
  readonly locale: string;
  readonly timeZone: string;
  /** "1.234,50 €" (de-DE), "€1,234.50" (en-IE). */
  money(minor: number, currency: string): string;
  /** The amount without its currency, for receipt columns: "1.234,50". */
  amount(minor: number, currency: string): string;
  /** "02.12.2026" */
  date(at: Date | string): string;
  /** "14:05" (24-hour where the locale is) */
  time(at: Date | string): string;
  /** "02.12.2026, 14:05" */
  dateTime(at: Date | string): string;
  wallDate(iso: string): string;
  wallTime(iso: string): string;
  wallDateTime(iso: string): string;
}

export type FormatStore = { locale?: string | null | undefined; timeZone: string };

const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

const cache = new Map<string, StoreFormat>();

/** Reads the wall-clock fields of ISO text ("2026-12-02T14:05:09+01:00") as a UTC instant. */
export function wallClock(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!m) return new Date(iso);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

/** The formatter of a store; one per locale and time zone, kept (Intl formatters are costly to make). */
export function storeFormat(store: FormatStore): StoreFormat {
  const locale = storeLocale(store);
  const key = `${locale}|${store.timeZone}`;
  const known = cache.get(key);
  if (known) return known;
  const timeZone = validTimeZone(store.timeZone);
  const dtf = (opts: Intl.DateTimeFormatOptions, tz: string) =>
    new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz });
  const onClock = {
    date: dtf(DATE, timeZone),
    time: dtf(TIME, timeZone),
    dateTime: dtf({ ...DATE, ...TIME }, timeZone),
  };
  const onWall = {
    date: dtf(DATE, 'UTC'),
    time: dtf(TIME, 'UTC'),
    dateTime: dtf({ ...DATE, ...TIME }, 'UTC'),
  };
  const numbers = new Map<number, Intl.NumberFormat>();
  const instant = (at: Date | string): Date => (typeof at === 'string' ? new Date(at) : at);
  const f: StoreFormat = {
    locale,
    timeZone,
    money: (minor, currency) => formatMoney(minor, currency, { locale }),
    amount(minor, currency) {
      const text = formatMinor(minor, currency);
      const digits = text.split('.')[1]?.length ?? 0;
      let nf = numbers.get(digits);
      if (!nf) {
        nf = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        numbers.set(digits, nf);
      }
      // Decimal text, as formatMoney does: no float rounding of a large amount.
      return nf.format(text as Intl.StringNumericLiteral);
    },
    date: (at) => onClock.date.format(instant(at)),
    time: (at) => onClock.time.format(instant(at)),
    dateTime: (at) => onClock.dateTime.format(instant(at)),
    wallDate: (iso) => onWall.date.format(wallClock(iso)),
    wallTime: (iso) => onWall.time.format(wallClock(iso)),
    wallDateTime: (iso) => onWall.dateTime.format(wallClock(iso)),
  };
  cache.set(key, f);
  return f;
}

/** An unknown zone would make Intl throw on every date: fall back to UTC rather than break the till. */
function validTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}
