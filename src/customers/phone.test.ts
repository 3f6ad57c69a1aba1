import { describe, expect, it } from 'vitest';
import { countryOfLocale, parsePhone, toE164 } from './phone.ts';

describe('phone numbers in E.164', () => {
  it('finds a Swiss customer however the number was typed at the till', () => {
    expect(toE164('+41 79 123 45 67', 'CH')).toBe('+41791234567');
    expect(toE164('079 123 45 67', 'CH')).toBe('+41791234567');
    expect(toE164('0041791234567', 'CH')).toBe('+41791234567');
    expect(toE164('(079) 123-45-67', 'CH')).toBe('+41791234567');
  });

  it('reads national numbers in the store country', () => {
    expect(toE164('07911 123456', 'GB')).toBe('+447911123456');
    expect(toE164('+44 (0) 7911 123456', 'GB')).toBe('+447911123456');
    expect(toE164('030 12345678', 'DE')).toBe('+493012345678');
    expect(toE164('0151 23456789', 'DE')).toBe('+4915123456789');
    expect(toE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(toE164('1-415-555-2671', 'US')).toBe('+14155552671');
    expect(toE164('06 12 34 56 78', 'FR')).toBe('+33612345678');
  });

  it('keeps a foreign number foreign: a tourist with a German mobile at a Swiss till', () => {
    expect(toE164('+49 151 23456789', 'CH')).toBe('+4915123456789');
    expect(toE164('0049 151 23456789', 'CH')).toBe('+4915123456789');
    expect(toE164('011 41 79 123 45 67', 'US')).toBe('+41791234567');
  });

  it('says what kind of number it is, for the review screen', () => {
    expect(parsePhone('079 123 45 67', 'CH')).toEqual({
      e164: '+41791234567',
      country: 'CH',
      type: 'MOBILE',
    });
    expect(parsePhone('030 12345678', 'DE').type).toBe('FIXED_LINE');
  });

  it('refuses what is not a phone number, naming the field', () => {
    for (const bad of [
      'abc',
      '12',
      '+41 12 345 67 89',
      '079 123 45 678',
      'call me',
      '079 123 45 67 ext 5',
      '',
    ])
      expect(() => toE164(bad, 'CH'), bad).toThrow(expect.objectContaining({ field: 'phone' }));
  });

  it('needs a country for a number without its country code', () => {
    expect(toE164('+41791234567')).toBe('+41791234567');
    expect(() => toE164('079 123 45 67')).toThrow(/country code/);
    expect(() => toE164('079 123 45 67', 'XX')).toThrow(expect.objectContaining({ field: 'country' }));
    expect(toE164('079 123 45 67', 'ch')).toBe('+41791234567');
  });
});

describe('country of a store locale', () => {
  it('takes the region of the locale', () => {
    expect(countryOfLocale('de-DE')).toBe('DE');
    expect(countryOfLocale('fr-CH')).toBe('CH');
    expect(countryOfLocale('en-GB')).toBe('GB');
    expect(countryOfLocale('en-US')).toBe('US');
  });

  it('does not guess a country from a language alone', () => {
    expect(countryOfLocale('de')).toBeUndefined();
    expect(countryOfLocale('es-419')).toBeUndefined();
    expect(() => countryOfLocale('not a locale!')).toThrow(expect.objectContaining({ field: 'locale' }));
  });
});
