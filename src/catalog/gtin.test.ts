import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidGtin, normalizeGtin, withCheckDigit } from './gtin.ts';

describe('GTIN check digits', () => {
  it('accepts real product codes of every length', () => {
    expect(isValidGtin('4006381333931')).toBe(true); // EAN-13, Stabilo pen
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A
    expect(isValidGtin('96385074')).toBe(true); // GTIN-8
    expect(isValidGtin('10012345678902')).toBe(true); // GTIN-14 case of a trade item
  });

  it('refuses a mistyped digit, a swapped pair and codes of the wrong length', () => {
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('4006381339331')).toBe(false);
    expect(isValidGtin('400638133393')).toBe(false);
    expect(isValidGtin('40063813339x1')).toBe(false);
    expect(isValidGtin('')).toBe(false);
  });

  it('computes the digit a label printer would', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(gtinCheckDigit('03600029145')).toBe(2);
    expect(withCheckDigit('400638133393')).toBe('4006381333931');
  });

  it('normalises to 13 digits so an EAN stays as printed and a UPC gains its leading zero', () => {
    expect(normalizeGtin('4006381333931')).toBe('4006381333931');
    expect(normalizeGtin(' 036000291452 ')).toBe('0036000291452');
    expect(normalizeGtin('00036000291452')).toBe('0036000291452');
    expect(normalizeGtin('96385074')).toBe('0000096385074');
    expect(normalizeGtin('10012345678902')).toBe('10012345678902');
    expect(normalizeGtin('4006381333932')).toBeNull();
  });
});
