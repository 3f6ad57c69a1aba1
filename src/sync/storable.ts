import type { EventEnvelope } from '../core/event.ts';

/**
 * Turns an event HQ refuses (quarantined, or in conflict) into text that can always be stored and is
 * safe to keep: JSON text (JSON escapes NUL and lone surrogates, which jsonb refuses), with card data
 * taken out, because a refused event skipped the schema that would have stripped it.
 * The redaction here is deliberately blunt; the card-data rules belong to event-checks (rules) and
 * should replace it when they export one.
 */
export function storableJson(value: unknown): string {
  return JSON.stringify(redactCardData(value)) ?? 'null';
}

/** The full envelope as stored text. */
export const storableEnvelope = (e: EventEnvelope): string => storableJson(e);

// Keys that only ever hold card data; their values are dropped whatever they look like.
const CARD_KEYS = /^(pan|primary_?account_?number|card_?number|track[12]?(_?data)?|cvv2?|cvc2?|cid|csc)$/i;
const DIGIT_RUN = /\d(?:[ -]?\d){12,18}/g;

/** A copy with card-only keys removed and Luhn-valid 13–19 digit runs masked inside strings. */
export function redactCardData(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(DIGIT_RUN, (run) => (luhnValid(run) ? '[card number removed]' : run));
  if (typeof value === 'number' && Number.isInteger(value) && luhnValid(String(Math.abs(value))))
    return '[card number removed]';
  if (Array.isArray(value)) return value.map(redactCardData);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!CARD_KEYS.test(k)) out[k] = redactCardData(v);
    return out;
  }
  return value;
}

function luhnValid(run: string): boolean {
  const digits = run.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
