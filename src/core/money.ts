import { invalid } from './errors.ts';

/**
 * Money is an integer count of minor units (cents, pence) with its currency. Floats never hold money:
 * every operation here is exact or rounds once, half away from zero, as tills and tax authorities do.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export const money = (amount: number, currency: string): Money => {
  assertMinor(amount, 'amount');
  return { amount, currency };
};

/** Throws a validation error naming `field` unless `n` is a safe integer. */
export function assertMinor(n: number, field: string): void {
  if (!Number.isSafeInteger(n)) throw invalid(field, `must be a whole number of minor units, got ${n}`);
}

/** Number of minor digits of an ISO 4217 currency (2 for EUR, 0 for JPY, 3 for KWD). */
const digitsByCurrency = new Map<string, number>();
export const minorDigits = (currency: string): number => {
  let d = digitsByCurrency.get(currency);
  if (d === undefined) {
    d =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsByCurrency.set(currency, d);
  }
  return d;
};

/**
 * round(a * b / d) with half away from zero, exact for any safe-integer inputs: products beyond 2^53
 * go through BigInt so a large basket times a tax rate never loses a cent.
 */
export function mulDiv(a: number, b: number, d: number): number {
  if (d === 0) throw new RangeError('mulDiv: division by zero');
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    const q = Math.trunc(p / d);
    const r = p - q * d;
    const away = 2 * Math.abs(r) >= Math.abs(d);
    return away ? q + Math.sign(p) * Math.sign(d) : q;
  }
  const bp = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  const q = bp / bd;
  const r = bp - q * bd;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  const sign = (bp < 0n ? -1n : 1n) * (bd < 0n ? -1n : 1n);
  const result = Number(2n * abs(r) >= abs(bd) ? q + sign : q);
  // A result past 2^53 cannot be held exactly as a number: refuse it rather than lose cents.
  if (!Number.isSafeInteger(result))
    throw new RangeError(`mulDiv: ${a} × ${b} / ${d} is beyond exact integers`);
  return result;
}

/**
 * Splits `total` in proportion to `weights` so the parts sum exactly to `total` (largest remainder).
 * Ties go to the earlier index, so the split is deterministic on every till.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const parts = weights.map((w) => Math.trunc((total * w) / sum));
  let rest = total - parts.reduce((s, p) => s + p, 0);
  const order = weights
    .map((w, i) => ({ i, frac: Math.abs((total * w) / sum - (parts[i] ?? 0)) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  const step = Math.sign(rest);
  for (let k = 0; rest !== 0; k = (k + 1) % order.length) {
    const idx = order[k]!.i;
    parts[idx] = (parts[idx] ?? 0) + step;
    rest -= step;
  }
  return parts;
}

/** Plain decimal text of an amount, for receipts and logs: 1234 EUR → "12.34", 1234 JPY → "1234". */
export function formatMinor(amount: number, currency: string): string {
  return formatDecimal(amount, minorDigits(currency));
}

/** Plain decimal text of `amount` minor units with `digits` of them after the point: (1234, 3) → "1.234". */
export function formatDecimal(amount: number, digits: number): string {
  const neg = amount < 0;
  const abs = Math.abs(amount);
  if (digits === 0) return `${neg ? '-' : ''}${abs}`;
  const s = abs.toString().padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

export interface MoneyFormat {
  /** BCP 47 locale; omitted, the runtime's (the browser's language on a screen). */
  locale?: string;
  /** "€1.2K": for chart axes, at most one decimal. */
  compact?: boolean;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Money as people read it, in the currency's own decimals: 1234 EUR → "€12.34", 1234 JPY → "¥1,234",
 * 1234 BHD → "BHD 1.234". The one formatter of both screens; receipts and the CLI print `formatMinor`.
 * Intl is handed the exact decimal text, never `amount / 100`, so no currency is off by a factor of
 * ten and no float rounds a large total.
 */
export function formatMoney(amount: number, currency: string, opts: MoneyFormat = {}): string {
  const key = `${opts.locale ?? ''}|${currency}|${opts.compact ? 'compact' : ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(opts.locale, {
      style: 'currency',
      currency,
      ...(opts.compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
    });
    formatters.set(key, f);
  }
  // Decimal text is formatted exactly (Intl.NumberFormat v3), where a number would be rounded first.
  return f.format(formatMinor(amount, currency) as Intl.StringNumericLiteral);
}

/** Parses "12.34" into minor units exactly (no float arithmetic), naming `field` when it cannot. */
export function parseMinor(text: string, currency: string, field: string): number {
  const digits = minorDigits(currency);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw invalid(field, `"${text}" is not an amount`);
  const frac = m[3] ?? '';
  if (frac.length > digits)
    throw invalid(field, `"${text}" has more than ${digits} decimals for ${currency}`);
  const n = Number(m[2]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  assertMinor(n, field);
  return m[1] ? -n : n;
}
