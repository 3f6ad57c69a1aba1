/**
 * GS1 identifiers (GTIN-8, UPC-A/GTIN-12, EAN-13/GTIN-13, GTIN-14). The last digit is a check digit:
 * from the right, the other digits weigh 3, 1, 3, 1, …; the check digit brings the sum to a multiple of 10.
 *
 * Normal form (what HQ stores and sends to tills): 13 digits, left-padded with zeros, so an EAN-13
 * stays exactly as printed and a UPC-A gains its leading 0 (036000291452 → 0036000291452). A GTIN-14
 * with a non-zero packaging indicator keeps its 14 digits. Tills normalise what they scan the same way.
 */
export const GTIN_LENGTHS = [8, 12, 13, 14] as const;

/** The check digit for the digits before it (any length). */
export function gtinCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`not digits: "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for 8, 12, 13 or 14 digits with a correct check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^\d+$/.test(code) || !(GTIN_LENGTHS as readonly number[]).includes(code.length)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** The normal form described above, or null when the code is not a valid GTIN. */
export function normalizeGtin(code: string): string | null {
  const trimmed = code.trim();
  if (!isValidGtin(trimmed)) return null;
  const padded = trimmed.padStart(14, '0');
  return padded.startsWith('0') ? padded.slice(1) : padded;
}

/** Appends the check digit: 12 digits → a valid EAN-13. */
export const withCheckDigit = (body: string): string => `${body}${gtinCheckDigit(body)}`;

/** A digit string of a GTIN's length is read as a GTIN; any other text is an in-house code (PLU, SKU label). */
const looksLikeGtin = (code: string): boolean => /^\d{8}$|^\d{12,14}$/.test(code);

/**
 * What is wrong with a barcode as typed, or undefined when HQ would take it: the screen shows this as
 * the user types and HQ refuses with the same words (`normalizeIdentifier` in catalog/hq/products.ts).
 */
export function identifierProblem(code: string): string | undefined {
  const c = code.trim();
  if (c === '') return 'is empty';
  if (looksLikeGtin(c) && !normalizeGtin(c)) return `"${c}" has a wrong GTIN check digit`;
  return undefined;
}
