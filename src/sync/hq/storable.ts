import type { EventEnvelope } from '../../core/index.ts';
import { luhnValid, redactCardData } from '../../core/index.ts';

/**
 * Turns an event HQ refuses (quarantined, or in conflict) into text that can always be stored and is
 * safe to keep: JSON text (JSON escapes NUL and lone surrogates, which jsonb refuses), with card data
 * taken out, because a refused event skipped the schema that would have stripped it. The core
 * redaction drops card-data fields and masks card numbers; a second, blunter pass then masks any
 * Luhn-valid 13–19 digit run left (barcodes and phone numbers included): a record kept for a person
 * to look at loses nothing by it, and a card number can never hide behind an exemption here.
 */
export function storableJson(value: unknown): string {
  return JSON.stringify(maskEveryLuhnRun(redactCardData(value))) ?? 'null';
}

/** The full envelope as stored text. */
export const storableEnvelope = (e: EventEnvelope): string => storableJson(e);

const DIGIT_RUN = /\d(?:[ -]?\d){12,18}/g;
const isCardLike = (run: string): boolean => {
  const digits = run.replace(/\D/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
};

function maskEveryLuhnRun(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(DIGIT_RUN, (run) => (isCardLike(run) ? '[card number removed]' : run));
  if (typeof value === 'number' && Number.isInteger(value) && isCardLike(String(Math.abs(value))))
    return '[card number removed]';
  if (Array.isArray(value)) return value.map(maskEveryLuhnRun);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskEveryLuhnRun(v);
    return out;
  }
  return value;
}
