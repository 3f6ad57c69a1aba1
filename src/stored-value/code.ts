import { createHash, randomInt } from 'node:crypto';
import { invalid, luhnValid } from '../core/index.ts';

/** The code a customer holds for a gift card or store credit: both sides keep only its hash. */
export const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex');

export const checkCode = (code: unknown, field: string): string => {
  if (typeof code !== 'string') throw invalid(field, 'the card or voucher code is required');
  const c = code.replace(/[\s-]/g, '');
  if (!/^\d{8,19}$/.test(c)) throw invalid(field, 'a card or voucher code is 8 to 19 digits');
  return c;
};

/**
 * 16 digits, 15 of them random: unguessable enough for a code that also needs the physical card or
 * voucher. The last digit is chosen so the code never passes the Luhn check, so no scanner, processor
 * or audit for card numbers ever mistakes a gift card for a payment card.
 */
export const makeCode = (): string => {
  const body = Array.from({ length: 15 }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');
  for (let d = 0; d <= 9; d++) if (!luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('unreachable: only one check digit makes a number Luhn-valid');
};
