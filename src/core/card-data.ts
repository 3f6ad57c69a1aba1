/**
 * Card data in any JSON-like value: full card numbers (Luhn-valid runs of 13–19 digits, as typed or
 * swiped, with or without spaces or dashes) and fields whose name says they hold card data (PAN, track
 * data, CVV, expiry). HQ refuses events that carry either, keeps only a redacted copy of them, and tests
 * scan every table, log and stream message with the same finder. Pure: no I/O.
 *
 * A digit run counts only when it stands alone: not part of a word, a hex hash, a UUID, a decimal
 * fraction or a phone number written with `+`. Issuers' numbers start with 2–6 (Mastercard 2-series,
 * Amex/Diners/JCB 3, Visa 4, Mastercard/Maestro 5, Discover/UnionPay 6), which keeps millisecond
 * timestamps (1…) and zero-padded counters (0…) out; a valid GTIN-13/14 barcode is not a card either.
 */

/** Normalised key names (lower case, letters and digits only) that hold card data. */
const CARD_KEYS = new Set([
  'pan',
  'cardpan',
  'fullpan',
  'rawpan',
  'primaryaccountnumber',
  'cardnumber',
  'cardno',
  'cardnum',
  'ccnumber',
  'ccnum',
  'ccno',
  'creditcardnumber',
  'debitcardnumber',
  'track',
  'track1',
  'track2',
  'track3',
  'trackdata',
  'track1data',
  'track2data',
  'magstripe',
  'magstripedata',
  'swipedata',
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cid',
  'csc',
  'cav2',
  'cvn',
  'cvn2',
  'cvd',
  'securitycode',
  'cardsecuritycode',
  'cardverificationvalue',
  'cardverificationcode',
  'pinblock',
  'expiry',
  'expirydate',
  'expdate',
  'expirationdate',
  'cardexpiry',
  'cardexp',
  'expmonth',
  'expyear',
  'expirymonth',
  'expiryyear',
]);

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Whether a field of this name holds card data (`maskedPan` does not: it is four digits and stars). */
export const isCardDataKey = (key: string): boolean => CARD_KEYS.has(normaliseKey(key));

const isPhoneKey = (key: string): boolean => /phone|mobile|^tel/.test(normaliseKey(key));

/** The Luhn check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * GS1's check digit (EAN-13, GTIN-14): barcodes are 13–14 digits and often Luhn-valid by chance. Card
 * numbers are 15–19 digits today (13-digit Visa numbers are long retired), so a valid barcode is not one.
 */
function gtinValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length - 1; i++) {
    const d = digits.charCodeAt(digits.length - 2 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

// Runs of digit groups joined by single spaces or dashes, starting and ending where digits do: not inside
// a word or hash, not after '+' (a phone number) or '.' (a fraction), not before a decimal point.
const DIGIT_RUN = /(?<![\p{L}\p{N}+._])\d+(?:[ -]\d+)*(?![\p{L}\p{N}_]|\.\d)/gu;

export interface CardNumberHit {
  /** Where the number starts and ends in the text. */
  start: number;
  end: number;
  /** The digits, without separators. */
  digits: string;
}

const looksLikeCard = (digits: string): boolean =>
  digits.length >= 13 &&
  digits.length <= 19 &&
  digits[0]! >= '2' &&
  digits[0]! <= '6' &&
  luhnValid(digits) &&
  !(digits.length <= 14 && gtinValid(digits));

/**
 * Card numbers in a text, in order. Within a run of digit groups ("4111 1111 1111 1111", or a number
 * followed by its CVV "4111111111111111 123"), every span of whole groups is tried, so a card number
 * written next to other digits is still found.
 */
export function findCardNumbers(text: string): CardNumberHit[] {
  const hits: CardNumberHit[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const groups = [...m[0].matchAll(/\d+/g)].map((g) => ({ at: m.index + g.index, digits: g[0] }));
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]!.digits;
        if (digits.length > 19) break;
        if (!looksLikeCard(digits)) continue;
        const last = groups[j]!;
        hits.push({ start: groups[i]!.at, end: last.at + last.digits.length, digits });
        i = j;
        break;
      }
    }
  }
  return hits;
}

/** A number as JSON writes it, when it could be a card number. */
const numberAsCard = (n: number): string | undefined =>
  Number.isInteger(n) && Math.abs(n) >= 1e12 ? String(Math.abs(n)) : undefined;

export interface CardDataFinding {
  /** Dotted path to the field, e.g. `payload.tenders.0.pan`. */
  path: string;
  what: 'card number' | 'card data field';
}

/** The first place a value holds card data, or undefined when it holds none. */
export function findCardData(value: unknown, path = ''): CardDataFinding | undefined {
  const at = (k: string | number): string => (path ? `${path}.${k}` : String(k));
  if (typeof value === 'string')
    return findCardNumbers(value).length > 0 ? { path, what: 'card number' } : undefined;
  if (typeof value === 'number') {
    const s = numberAsCard(value);
    return s !== undefined && findCardNumbers(s).length > 0 ? { path, what: 'card number' } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const f = findCardData(v, at(i));
      if (f) return f;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isCardDataKey(k) && v !== null && v !== undefined && v !== '')
        return { path: at(k), what: 'card data field' };
      // A phone number typed without its '+' can pass Luhn; E.164 numbers are at most 15 digits.
      if (isPhoneKey(k) && typeof v === 'string' && /^\+?\d{6,15}$/.test(v)) continue;
      if (findCardNumbers(k).length > 0) return { path: at(k), what: 'card number' };
      const f = findCardData(v, at(k));
      if (f) return f;
    }
  }
  return undefined;
}

/** The text with every card number masked down to its last four digits (separators kept). */
export function maskCardNumbers(text: string): string {
  const hits = findCardNumbers(text);
  if (hits.length === 0) return text;
  let out = '';
  let from = 0;
  for (const h of hits) {
    const run = text.slice(h.start, h.end);
    let keep = 4;
    let masked = '';
    for (let i = run.length - 1; i >= 0; i--) {
      const c = run[i]!;
      if (c >= '0' && c <= '9') masked = (keep-- > 0 ? c : '*') + masked;
      else masked = c + masked;
    }
    out += text.slice(from, h.start) + masked;
    from = h.end;
  }
  return out + text.slice(from);
}

/**
 * A copy of the value safe to keep (quarantine and conflict records): fields that name card data are
 * dropped and card numbers are masked to their last four digits, wherever they are.
 */
export function redactCardData<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return maskCardNumbers(value);
  if (typeof value === 'number') {
    const s = numberAsCard(value);
    return s !== undefined && findCardNumbers(s).length > 0 ? maskCardNumbers(s) : value;
  }
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isCardDataKey(k)) out[maskCardNumbers(k)] = redact(v);
    return out;
  }
  return value;
}
