import { formatMinor, parseMinor } from '../../core/money.ts';

/**
 * Amounts as the cashier types them. The API speaks integer minor units; the cashier reads and types
 * major units ("20" or "20.50" for 2050 cents). The digits and the arithmetic are core/money.ts's, so
 * JPY has no decimals and BHD three; this file only forgives what people type (a comma, spaces, ".5").
 */

/** Minor units as a plain number for an input field: 2050 → "20.50". */
export const toMajorText = (minor: number, currency: string): string => formatMinor(minor, currency);

/**
 * Parses what the cashier typed into minor units, exactly (no float arithmetic): "20" → 2000,
 * "20.5" → 2050, "20,50" → 2050. Undefined when it is not an amount or has more decimals than the
 * currency, so the screen can say so next to the field instead of rounding silently.
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const t = text.trim().replace(/\s/g, '');
  const m = /^(\d{0,9})(?:[.,](\d*))?$/.exec(t);
  if (!m || (m[1] === '' && !m[2])) return undefined;
  try {
    return parseMinor(`${m[1] || '0'}${m[2] ? `.${m[2]}` : ''}`, currency, 'amount');
  } catch {
    return undefined; // more decimals than the currency has
  }
}

/** Basis points as a percent for display: 2000 → "20%", 550 → "5.5%". */
export function formatRate(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}
