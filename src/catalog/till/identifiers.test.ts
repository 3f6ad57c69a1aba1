import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTallyError } from '../../core/errors.ts';
import { withCheckDigit } from '../gtin.ts';
import { expandUpcE, parseScannedCode, priceCheckDigit } from './identifiers.ts';

describe('expandUpcE', () => {
  it('expands real UPC-E codes for every last-digit rule', () => {
    // 0–2: manufacturer X1 X2 X6 0 0, item 0 0 X3 X4 X5
    expect(expandUpcE('04252614')).toBe('042100005264');
    expect(expandUpcE('04963406')).toBe('049000006346'); // Coca-Cola 12 oz can
    expect(expandUpcE('01234523')).toBe('012200003453');
    // 3: manufacturer X1 X2 X3 0 0, item 0 0 0 X4 X5
    expect(expandUpcE('01234531')).toBe('012300000451');
    // 4: manufacturer X1 X2 X3 X4 0, item 0 0 0 0 X5
    expect(expandUpcE('01234446')).toBe('012340000046');
    // 5–9: manufacturer X1..X5, item 0 0 0 0 X6
    expect(expandUpcE('01234565')).toBe('012345000065');
    expect(expandUpcE('01234572')).toBe('012345000072');
    // number system 1
    expect(expandUpcE('11234562')).toBe('112345000062');
  });

  it('accepts 6 digits (number system 0) and 7 digits (no check digit)', () => {
    expect(expandUpcE('654321')).toBe('065100004327'); // the textbook example
    expect(expandUpcE('0654321')).toBe('065100004327');
    expect(expandUpcE('1123456')).toBe('112345000062');
  });

  it('refuses a wrong check digit, a bad number system and the wrong length', () => {
    expect(() => expandUpcE('04252615')).toThrow('check digit should be 4');
    expect(() => expandUpcE('24252614')).toThrow(/number system/);
    expect(() => expandUpcE('12345')).toThrow(/6, 7 or 8 digits/);
    expect(() => expandUpcE('0425261x')).toThrow(/6, 7 or 8 digits/);
  });
});

describe('priceCheckDigit', () => {
  it('matches the GS1 worked examples', () => {
    expect(priceCheckDigit('2875')).toBe(9);
    expect(priceCheckDigit('14685')).toBe(6);
  });
});

describe('parseScannedCode', () => {
  it('normalises GTIN-8, UPC-A, EAN-13, GTIN-14 and UPC-E', () => {
    expect(parseScannedCode('96385074')).toEqual({ kind: 'gtin', gtin: '0000096385074' });
    expect(parseScannedCode(' 036000291452 ')).toEqual({ kind: 'gtin', gtin: '0036000291452' });
    expect(parseScannedCode('4006381333931')).toEqual({ kind: 'gtin', gtin: '4006381333931' });
    expect(parseScannedCode('10012345678902')).toEqual({ kind: 'gtin', gtin: '10012345678902' });
    expect(parseScannedCode('00036000291452')).toEqual({ kind: 'gtin', gtin: '0036000291452' });
    expect(parseScannedCode('04252614')).toEqual({ kind: 'gtin', gtin: '0042100005264' });
    // a UPC-E and its UPC-A give the same normal form
    expect(parseScannedCode('04963406')).toEqual(parseScannedCode('049000006346'));
  });

  it('reads short UPC-E only when asked', () => {
    expect(parseScannedCode('654321')).toEqual({ kind: 'other', code: '654321' });
    expect(parseScannedCode('654321', { shortUpcE: true })).toEqual({ kind: 'gtin', gtin: '0065100004327' });
    expect(parseScannedCode('0654321', { shortUpcE: true })).toEqual({ kind: 'gtin', gtin: '0065100004327' });
  });

  it('throws a validation error naming the right check digit', () => {
    expect(() => parseScannedCode('4006381333932')).toThrow('check digit should be 1');
    expect(() => parseScannedCode('036000291453')).toThrow('check digit should be 2');
    expect(() => parseScannedCode('10012345678903')).toThrow('check digit should be 2');
    expect(() => parseScannedCode('96385075')).toThrow('check digit should be 4');
    expect(() => parseScannedCode('04252615')).toThrow(/check digit should be 4 \(UPC-E\)/);
    try {
      parseScannedCode('4006381333932');
      expect.unreachable();
    } catch (e) {
      expect(isTallyError(e) && e.code === 'validation' && e.field === 'code').toBe(true);
    }
    expect(() => parseScannedCode('')).toThrow(/empty/);
  });

  it('recognises PLUs: 4 digits, or 5 starting with 9 (organic)', () => {
    expect(parseScannedCode('4011')).toEqual({ kind: 'plu', plu: '4011' });
    expect(parseScannedCode('94011')).toEqual({ kind: 'plu', plu: '94011' });
    expect(parseScannedCode('84011')).toEqual({ kind: 'other', code: '84011' });
  });

  it('decodes embedded prices (20–24) and weights (25–29) with the default layout', () => {
    // 20 | item 12345 | price 01234 (12.34) | check
    expect(parseScannedCode('2012345012349')).toEqual({
      kind: 'embedded-price',
      itemRef: '12345',
      priceMinor: 1234,
    });
    // 25 | item 12345 | 00750 g | check
    expect(parseScannedCode('2512345007500')).toEqual({
      kind: 'embedded-weight',
      itemRef: '12345',
      grams: 750,
    });
    expect(parseScannedCode('2800123004538')).toEqual({
      kind: 'embedded-weight',
      itemRef: '00123',
      grams: 453,
    });
    expect(() => parseScannedCode('2012345012340')).toThrow('check digit should be 9');
  });

  it('follows a configured layout', () => {
    // 21 | item 00042 | price check 9 | price 2875 | check
    const withPriceCheck = { priceLayout: { valueLength: 4, valueCheckDigit: true } };
    expect(parseScannedCode('2100042928756', withPriceCheck)).toEqual({
      kind: 'embedded-price',
      itemRef: '00042',
      priceMinor: 2875,
    });
    expect(() => parseScannedCode('2100042128750', withPriceCheck)).toThrow('price check digit should be 9');
    // weight in units of 10 g
    expect(parseScannedCode('2800123004538', { weightLayout: { decimals: 2 } })).toEqual({
      kind: 'embedded-weight',
      itemRef: '00123',
      grams: 4530,
    });
    // 28 as a price prefix; a 2x prefix in neither list is a plain GTIN
    expect(
      parseScannedCode('2800123004538', { embeddedPricePrefixes: ['28'], embeddedWeightPrefixes: [] }),
    ).toEqual({ kind: 'embedded-price', itemRef: '00123', priceMinor: 453 });
    expect(
      parseScannedCode('2012345012349', { embeddedPricePrefixes: [], embeddedWeightPrefixes: [] }),
    ).toEqual({ kind: 'gtin', gtin: '2012345012349' });
    // item ref 4 + value 6
    expect(parseScannedCode('2012345012349', { priceLayout: { itemRefLength: 4, valueLength: 6 } })).toEqual({
      kind: 'embedded-price',
      itemRef: '1234',
      priceMinor: 501234,
    });
    expect(() => parseScannedCode('2012345012349', { priceLayout: { itemRefLength: 6 } })).toThrow(
      RangeError,
    );
  });

  it('passes legacy and internal codes through', () => {
    expect(parseScannedCode('SKU-000123')).toEqual({ kind: 'other', code: 'SKU-000123' });
    expect(parseScannedCode('123456789')).toEqual({ kind: 'other', code: '123456789' });
    expect(parseScannedCode('123')).toEqual({ kind: 'other', code: '123' });
  });

  it('parses any valid non-restricted GTIN-13 back to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[013-9]\d{11}$/), (body) => {
        const ean = withCheckDigit(body);
        expect(parseScannedCode(ean)).toEqual({ kind: 'gtin', gtin: ean });
      }),
    );
  });
});
