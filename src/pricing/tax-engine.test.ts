import { describe, expect, it } from 'vitest';
import { cart, context, germany, line, newYorkCity, unitedKingdom } from '../../test/fixtures/pricing.ts';
import { priceCart } from './price-cart.ts';
import { computeTax } from './tax-engine.ts';
import { jurisdictionFor, parseTaxJurisdictions, type TaxJurisdictionInput } from './tax-schema.ts';

const parse = (j: TaxJurisdictionInput) => parseTaxJurisdictions([j])[0]!;
const lines = (...amounts: [string, number][]) =>
  amounts.map(([taxClass, amountMinor], k) => ({ lineId: `l${k}`, taxClass, amountMinor }));

describe('VAT, prices include tax', () => {
  it('extracts 19 % from 1.19: 1.00 net + 0.19 tax, and 7 % on food in its own row', () => {
    const r = computeTax(lines(['standard', 119], ['reduced', 214]), parse(germany));
    expect(r.lines.map((l) => [l.netMinor, l.taxMinor, l.grossMinor])).toEqual([
      [100, 19, 119],
      [200, 14, 214],
    ]);
    expect(r.breakdown.map((b) => [b.code, b.taxableMinor, b.taxMinor])).toEqual([
      ['DE-VAT-7', 200, 14],
      ['DE-VAT-19', 100, 19],
    ]);
    expect(r.grossMinor).toBe(333);
  });

  it('per-line rounding: three items at 0.99 with 20 % VAT carry 0.17 each, 0.51 in all', () => {
    const r = computeTax(lines(['standard', 99], ['standard', 99], ['standard', 99]), {
      ...parse(unitedKingdom),
      rounding: 'line',
    });
    expect(r.taxMinor).toBe(51);
  });

  it('per-document rounding: the same three items carry 0.50 (2.97 / 6 = 0.495), split 0.17 + 0.17 + 0.16', () => {
    const r = computeTax(lines(['standard', 99], ['standard', 99], ['standard', 99]), parse(unitedKingdom));
    expect(r.taxMinor).toBe(50);
    expect(r.lines.map((l) => l.taxMinor)).toEqual([17, 17, 16]);
    expect(r.grossMinor).toBe(297);
  });

  it('zero-rated books have a 0 % row; an exempt class has an exempt row', () => {
    const uk = computeTax(lines(['zero', 899]), parse(unitedKingdom));
    expect(uk.breakdown).toEqual([
      { code: 'GB-VAT-0', name: 'VAT 0 %', ratePpm: 0, taxableMinor: 899, taxMinor: 0, exempt: false },
    ]);
    const de = computeTax(lines(['exempt', 5000]), parse(germany));
    expect(de.breakdown).toEqual([
      { code: 'EXEMPT', name: 'Exempt', ratePpm: 0, taxableMinor: 5000, taxMinor: 0, exempt: true },
    ]);
    expect(de.grossMinor).toBe(5000);
  });

  it('an exempt customer (tax-free export) pays the shelf price less the VAT in it: 1.19 → 1.00', () => {
    const r = computeTax(lines(['standard', 119]), parse(germany), { customerExempt: true });
    expect(r.lines[0]).toMatchObject({ netMinor: 100, taxMinor: 0, grossMinor: 100, exempt: true });
  });
});

describe('US sales tax, added to prices', () => {
  it('New York City: 10.00 + 8.875 % = 10.89, split state 0.40, city 0.45, MCTD 0.04', () => {
    const r = computeTax(lines(['standard', 1000]), parse(newYorkCity('line')));
    expect(r.lines[0]).toMatchObject({ netMinor: 1000, taxMinor: 89, grossMinor: 1089 });
    expect(r.lines[0]!.breakdown.map((b) => [b.code, b.taxMinor])).toEqual([
      ['NY-STATE', 40],
      ['NYC', 45],
      ['NY-MCTD', 4],
    ]);
  });

  it('ten pencils at 0.20 as separate lines: 0.20 tax rounded per line, 0.18 per document', () => {
    const pencils = lines(...Array.from({ length: 10 }, (): [string, number] => ['standard', 20]));
    expect(computeTax(pencils, parse(newYorkCity('line'))).taxMinor).toBe(20);
    const doc = computeTax(pencils, parse(newYorkCity('document')));
    expect(doc.taxMinor).toBe(18);
    expect(doc.breakdown.map((b) => [b.code, b.taxableMinor, b.taxMinor])).toEqual([
      ['NY-MCTD', 200, 1],
      ['NY-STATE', 200, 8],
      ['NYC', 200, 9],
    ]);
  });

  it('groceries and clothing are exempt; a reseller with a certificate pays no tax at all', () => {
    const r = computeTax(
      lines(['standard', 1000], ['grocery', 500], ['clothing', 3000]),
      parse(newYorkCity()),
    );
    expect(r.taxMinor).toBe(89);
    expect(r.grossMinor).toBe(4589);
    expect(r.breakdown.at(-1)).toMatchObject({ code: 'EXEMPT', taxableMinor: 3500, exempt: true });
    const reseller = computeTax(lines(['standard', 1000]), parse(newYorkCity()), { customerExempt: true });
    expect(reseller.grossMinor).toBe(1000);
  });
});

describe('discounts come off before tax', () => {
  it('a 10.00 coupon on a 40.00 NYC basket taxes 30.00: 32.66', () => {
    const r = priceCart(
      cart(
        [line('lamp', 4000, { lineId: 'a' })],
        [{ id: 'c', name: '10 off', kind: 'basketOff', amountOffMinor: 1000 }],
        {
          currency: 'USD',
          tax: newYorkCity(),
          context: context({ timeZone: 'America/New_York', at: '2026-11-28T12:00:00-05:00' }),
        },
      ),
    );
    expect(r.lines[0]).toMatchObject({
      listMinor: 4000,
      discountMinor: 1000,
      netMinor: 3000,
      taxMinor: 266,
      grossMinor: 3266,
    });
    expect(r.savingsText).toBe('You saved 10.00');
  });
});

describe('rules and lookups', () => {
  it('names the field at fault', () => {
    expect(() => parseTaxJurisdictions([{ ...germany, rounding: 'sometimes' }])).toThrow(
      /taxJurisdictions\[0\]\.rounding/,
    );
    expect(() =>
      parseTaxJurisdictions([
        { ...germany, classes: { x: { exempt: true, components: [{ code: 'a', name: 'a', ratePpm: 1 }] } } },
      ]),
    ).toThrow(/classes\.x\.components/);
    expect(() => computeTax(lines(['luxury', 100]), parse(germany))).toThrow(/lines\[0\]\.taxClass/);
  });

  it('finds a store’s jurisdiction by store, then by zone', () => {
    const all = parseTaxJurisdictions([
      { ...germany, zoneIds: ['zone-de'] },
      { ...unitedKingdom, storeIds: ['london-1'] },
    ]);
    expect(jurisdictionFor(all, 'london-1').id).toBe('GB');
    expect(jurisdictionFor(all, 'berlin', ['zone-de']).id).toBe('DE');
    expect(() => jurisdictionFor(all, 'paris')).toThrow(/context\.storeId/);
  });
});
