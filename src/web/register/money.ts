/**
 * Money on the screen. The API speaks integer minor units; the cashier reads and types major units
 * ("20" or "20.50" for 2050 cents). How many decimals a currency has comes from Intl, so JPY has none.
 */
const formats = new Map<string, Intl.NumberFormat>();

function format(currency: string): Intl.NumberFormat {
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formats.set(currency, f);
  }
  return f;
}

export function fractionDigits(currency: string): number {
  return format(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(minor: number, currency: string): string {
  return format(currency).format(minor / 10 ** fractionDigits(currency));
}

/** Minor units as a plain number for an input field: 2050 → "20.50". */
export function toMajorText(minor: number, currency: string): string {
  const d = fractionDigits(currency);
  return (minor / 10 ** d).toFixed(d);
}

/**
 * Parses what the cashier typed into minor units, exactly (no float arithmetic): "20" → 2000,
 * "20.5" → 2050, "20,50" → 2050. Undefined when it is not an amount or has more decimals than the
 * currency, so the screen can say so next to the field instead of rounding silently.
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const t = text.trim().replace(/\s/g, '');
  const m = /^(\d{0,9})(?:[.,](\d*))?$/.exec(t);
  if (!m || (m[1] === '' && !m[2])) return undefined;
  const d = fractionDigits(currency);
  const frac = m[2] ?? '';
  if (frac.length > d) return undefined;
  return Number(m[1] || '0') * 10 ** d + Number(frac.padEnd(d, '0') || '0');
}

/** Basis points as a percent for display: 2000 → "20%", 550 → "5.5%". */
export function formatRate(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}
