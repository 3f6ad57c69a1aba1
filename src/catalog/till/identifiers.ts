/**
 * What a till makes of a scanned code: a GTIN (normalised by gtin.ts), a produce PLU, an in-store
 * EAN-13 with an embedded price or weight (GS1 restricted circulation numbers, prefixes 20–29), or
 * anything else (legacy and internal codes). Pure functions, no I/O.
 */
import { invalid } from '../../core/index.ts';
import { gtinCheckDigit, normalizeGtin } from '../gtin.ts';

/**
 * Expands a UPC-E to its 12-digit UPC-A (GS1 zero-suppression rules).
 * - 6 digits: the compressed body; number system 0 is assumed and the check digit is computed.
 * - 7 digits: number system (0 or 1) + body; the check digit is computed.
 * - 8 digits: number system + body + check digit, which is validated against the UPC-A.
 * Body X1..X6, by its last digit X6:
 * - 0–2: manufacturer X1 X2 X6 0 0, item 0 0 X3 X4 X5
 * - 3:   manufacturer X1 X2 X3 0 0, item 0 0 0 X4 X5
 * - 4:   manufacturer X1 X2 X3 X4 0, item 0 0 0 0 X5
 * - 5–9: manufacturer X1 X2 X3 X4 X5, item 0 0 0 0 X6
 */
export function expandUpcE(upce: string): string {
  const code = upce.trim();
  if (!/^\d{6,8}$/.test(code)) throw invalid('code', `UPC-E ${code} should be 6, 7 or 8 digits`);
  const numberSystem = code.length === 6 ? '0' : code[0]!;
  if (numberSystem !== '0' && numberSystem !== '1') {
    throw invalid('code', `UPC-E ${code}: number system should be 0 or 1`);
  }
  const body = code.length === 6 ? code : code.slice(1, 7);
  const [x1, x2, x3, x4, x5, x6] = body.split('') as [string, string, string, string, string, string];
  let middle: string;
  switch (x6) {
    case '0':
    case '1':
    case '2':
      middle = `${x1}${x2}${x6}0000${x3}${x4}${x5}`;
      break;
    case '3':
      middle = `${x1}${x2}${x3}00000${x4}${x5}`;
      break;
    case '4':
      middle = `${x1}${x2}${x3}${x4}00000${x5}`;
      break;
    default:
      middle = `${x1}${x2}${x3}${x4}${x5}0000${x6}`;
  }
  const withoutCheck = `${numberSystem}${middle}`;
  const check = gtinCheckDigit(withoutCheck);
  if (code.length === 8 && Number(code[7]) !== check) {
    throw invalid('code', `UPC-E ${code}: check digit should be ${check}`);
  }
  return `${withoutCheck}${check}`;
}

/** How the digits after the two-digit prefix of an in-store EAN-13 are laid out. */
export interface EmbeddedLayout {
  /** Digits of the item reference, right after the prefix. Default 5. */
  itemRefLength: number;
  /** Digits of the value (price or weight), just before the final check digit. Default 5. */
  valueLength: number;
  /**
   * Decimals in the encoded value. Price: default 2 (the value is in cents); weight: default 3 (the
   * value is in grams, i.e. kilograms with 3 decimals). Values are rescaled to minor units / grams.
   */
  decimals: number;
  /** Whether a GS1 price check digit (for 4- or 5-digit values) sits between item ref and value. */
  valueCheckDigit: boolean;
}

export interface ScanOptions {
  /** Two-digit prefixes (20–29) whose value is a price. Default 20–24. */
  embeddedPricePrefixes?: readonly string[];
  /** Two-digit prefixes (20–29) whose value is a weight. Default 25–29. */
  embeddedWeightPrefixes?: readonly string[];
  priceLayout?: Partial<EmbeddedLayout>;
  weightLayout?: Partial<EmbeddedLayout>;
  /** Decimals of the currency's minor unit. Default 2. */
  currencyDecimals?: number;
  /**
   * Treat 6- and 7-digit codes as UPC-E (scanners configured to drop the number system or check digit).
   * Off by default: such codes are usually internal. 8-digit UPC-E is always recognised.
   */
  shortUpcE?: boolean;
}

export type ScannedCode =
  | { kind: 'gtin'; gtin: string }
  | { kind: 'plu'; plu: string }
  | { kind: 'embedded-price'; itemRef: string; priceMinor: number }
  | { kind: 'embedded-weight'; itemRef: string; grams: number }
  | { kind: 'other'; code: string };

export const DEFAULT_PRICE_PREFIXES = ['20', '21', '22', '23', '24'] as const;
export const DEFAULT_WEIGHT_PREFIXES = ['25', '26', '27', '28', '29'] as const;
const DEFAULT_PRICE_LAYOUT: EmbeddedLayout = {
  itemRefLength: 5,
  valueLength: 5,
  decimals: 2,
  valueCheckDigit: false,
};
const DEFAULT_WEIGHT_LAYOUT: EmbeddedLayout = {
  itemRefLength: 5,
  valueLength: 5,
  decimals: 3,
  valueCheckDigit: false,
};

// GS1 price check digit weighting factors, as product tables indexed by digit.
const W2MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const W3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const W5PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const W5MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

/** The GS1 price check digit for a 4- or 5-digit price field. */
export function priceCheckDigit(value: string): number {
  if (!/^\d+$/.test(value)) throw new RangeError(`not digits: "${value}"`);
  const d = value.split('').map(Number);
  if (d.length === 4) {
    const sum = W2MINUS[d[0]!]! + W2MINUS[d[1]!]! + W3[d[2]!]! + W5MINUS[d[3]!]!;
    return (sum * 3) % 10;
  }
  if (d.length === 5) {
    const sum = W5PLUS[d[0]!]! + W2MINUS[d[1]!]! + W5MINUS[d[2]!]! + W5PLUS[d[3]!]! + W2MINUS[d[4]!]!;
    const target = (10 - (sum % 10)) % 10;
    return W5MINUS.indexOf(target);
  }
  throw new RangeError(`a price check digit covers 4 or 5 digits, not ${d.length}`);
}

function resolveLayout(base: EmbeddedLayout, over: Partial<EmbeddedLayout> | undefined): EmbeddedLayout {
  const layout = { ...base, ...over };
  const used = layout.itemRefLength + (layout.valueCheckDigit ? 1 : 0) + layout.valueLength;
  if (used !== 10 || layout.itemRefLength < 1 || layout.valueLength < 1 || layout.decimals < 0) {
    throw new RangeError(
      `embedded layout must fill the 10 digits between prefix and check digit, got ${JSON.stringify(layout)}`,
    );
  }
  if (layout.valueCheckDigit && layout.valueLength !== 4 && layout.valueLength !== 5) {
    throw new RangeError('a value check digit needs a 4- or 5-digit value');
  }
  return layout;
}

/** Rescales an integer with `from` decimals to one with `to` decimals, rounding half up. */
function rescale(value: number, from: number, to: number): number {
  if (to >= from) return value * 10 ** (to - from);
  const divisor = 10 ** (from - to);
  return Math.floor((value + divisor / 2) / divisor);
}

function decodeEmbedded(
  code: string,
  layout: EmbeddedLayout,
  targetDecimals: number,
): { itemRef: string; value: number } {
  const itemRef = code.slice(2, 2 + layout.itemRefLength);
  const valueDigits = code.slice(12 - layout.valueLength, 12);
  if (layout.valueCheckDigit) {
    const expected = priceCheckDigit(valueDigits);
    if (Number(code[2 + layout.itemRefLength]) !== expected) {
      throw invalid('code', `${code}: price check digit should be ${expected}`);
    }
  }
  return { itemRef, value: rescale(Number(valueDigits), layout.decimals, targetDecimals) };
}

function checkedGtin(code: string, label: string): string {
  const expected = gtinCheckDigit(code.slice(0, -1));
  if (Number(code.at(-1)) !== expected) {
    throw invalid('code', `${label} ${code}: check digit should be ${expected}`);
  }
  return normalizeGtin(code)!;
}

/**
 * Classifies a scanned code. Throws a validation error when a code that carries a GS1 check digit
 * (GTIN-8/12/13/14, 8-digit UPC-E) has the wrong one. An 8-digit code starting with 0 or 1 is read as
 * UPC-E when its UPC-E check digit holds (GS1 reserves EAN-8 prefix 0 for in-store use), else as GTIN-8.
 * Embedded price/weight codes are recognised only in 13-digit codes; a 20–29 prefix in neither list
 * is returned as a plain GTIN.
 */
export function parseScannedCode(code: string, opts: ScanOptions = {}): ScannedCode {
  const trimmed = code.trim();
  if (trimmed === '') throw invalid('code', 'scanned code is empty');
  if (!/^\d+$/.test(trimmed)) return { kind: 'other', code: trimmed };

  switch (trimmed.length) {
    case 4:
      return { kind: 'plu', plu: trimmed };
    case 5:
      return trimmed.startsWith('9') ? { kind: 'plu', plu: trimmed } : { kind: 'other', code: trimmed };
    case 6:
    case 7:
      if (opts.shortUpcE && (trimmed.length === 6 || /^[01]/.test(trimmed))) {
        return { kind: 'gtin', gtin: normalizeGtin(expandUpcE(trimmed))! };
      }
      return { kind: 'other', code: trimmed };
    case 8: {
      if (/^[01]/.test(trimmed)) {
        const upca = expandUpcE(trimmed.slice(0, 7));
        if (upca.at(-1) === trimmed[7]) return { kind: 'gtin', gtin: normalizeGtin(upca)! };
        // Neither a valid UPC-E nor a valid GTIN-8: report both expectations.
        const gtin8 = gtinCheckDigit(trimmed.slice(0, 7));
        if (gtin8 !== Number(trimmed[7])) {
          throw invalid(
            'code',
            `${trimmed}: check digit should be ${upca.at(-1)} (UPC-E) or ${gtin8} (GTIN-8)`,
          );
        }
      }
      return { kind: 'gtin', gtin: checkedGtin(trimmed, 'GTIN-8') };
    }
    case 12:
      return { kind: 'gtin', gtin: checkedGtin(trimmed, 'UPC-A') };
    case 13: {
      const gtin = checkedGtin(trimmed, 'EAN-13');
      const prefix = trimmed.slice(0, 2);
      const pricePrefixes = opts.embeddedPricePrefixes ?? DEFAULT_PRICE_PREFIXES;
      const weightPrefixes = opts.embeddedWeightPrefixes ?? DEFAULT_WEIGHT_PREFIXES;
      if (prefix.startsWith('2') && pricePrefixes.includes(prefix)) {
        const layout = resolveLayout(DEFAULT_PRICE_LAYOUT, opts.priceLayout);
        const { itemRef, value } = decodeEmbedded(trimmed, layout, opts.currencyDecimals ?? 2);
        return { kind: 'embedded-price', itemRef, priceMinor: value };
      }
      if (prefix.startsWith('2') && weightPrefixes.includes(prefix)) {
        const layout = resolveLayout(DEFAULT_WEIGHT_LAYOUT, opts.weightLayout);
        const { itemRef, value } = decodeEmbedded(trimmed, layout, 3);
        return { kind: 'embedded-weight', itemRef, grams: value };
      }
      return { kind: 'gtin', gtin };
    }
    case 14:
      return { kind: 'gtin', gtin: checkedGtin(trimmed, 'GTIN-14') };
    default:
      return { kind: 'other', code: trimmed };
  }
}
