import { formatMoney as formatInCurrency, type MoneyFormat } from '../../core/money.ts';

/** Numbers as a manager reads them: money in the chain's currency, counts with separators. */
const LOCALE = 'en-IE';

/** core/money.ts's formatter in the dashboard's locale: 1234 EUR → "€12.34", 1234 JPY → "JP¥1,234". */
export const formatMoney = (
  minor: number,
  currency: string,
  opts: Omit<MoneyFormat, 'locale'> = {},
): string => formatInCurrency(minor, currency, { ...opts, locale: LOCALE });

const count = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
export const formatCount = (n: number): string => count.format(n);

/** "+12%" / "−4%" against a base; an empty string when there is no base to compare with. */
export function formatChange(now: number, base: number): string {
  if (!base) return '';
  const pct = Math.round(((now - base) / Math.abs(base)) * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)}%`;
}

/** "4 min ago", "3 h ago", "2 days ago" from seconds. */
export function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });
}
