import { randomInt } from 'node:crypto';
import { invalid } from '../core/index.ts';

/**
 * The text of a one-time enrollment code: 16 characters of Crockford's base32 (no I, L, O or U, so
 * nothing reads as another character) in four groups, e.g. `7K3M-Q9XD-2HPN-WR4T`: 80 random bits,
 * short enough to read out over the phone. What a person types is forgiven: case, spaces, dashes, and
 * O/I/L for 0/1/1.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;
const GROUP = 4;

export const EXAMPLE_CODE = '7K3M-Q9XD-2HPN-WR4T';

export function newEnrollmentCode(random: (max: number) => number = randomInt): string {
  let raw = '';
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[random(ALPHABET.length)];
  return formatEnrollmentCode(raw);
}

export const formatEnrollmentCode = (raw: string): string =>
  (raw.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? []).join('-');

/** The code as stored (hashed): upper case, separators dropped, look-alikes mapped; or a 400 naming `code`. */
export function normalizeEnrollmentCode(typed: string): string {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== LENGTH || [...raw].some((c) => !ALPHABET.includes(c)))
    throw invalid(
      'code',
      `an enrollment code has ${LENGTH} letters and digits, like ${EXAMPLE_CODE}; check what was typed or ask head office for a new one`,
    );
  return raw;
}
