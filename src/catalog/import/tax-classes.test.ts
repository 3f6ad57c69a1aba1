import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consolidate } from './consolidate.ts';
import { readExport } from './read.ts';
import { classRates, parseTaxClassMap, type TaxClassPolicy } from './tax-classes.ts';

const fixture = (name: string): string => join(import.meta.dirname, '../../../test/fixtures/import', name);

/** A chain with VAT at 19 % (standard), 7 % (reduced) and an exempt class, mapped by `map`. */
const policy = (map: string, defaultRateBp?: number): TaxClassPolicy => {
  const m = parseTaxClassMap(map);
  return {
    map: m.map,
    fallback: m.fallback,
    exemptClass: 'exempt',
    rates: classRates([
      {
        id: 'DE',
        name: 'Germany',
        pricesIncludeTax: true,
        rounding: 'line',
        classes: {
          standard: {
            exempt: false,
            components: [{ code: 'DE-VAT-19', name: 'VAT 19 %', ratePpm: 190_000 }],
          },
          reduced: { exempt: false, components: [{ code: 'DE-VAT-7', name: 'VAT 7 %', ratePpm: 70_000 }] },
          exempt: { exempt: true, components: [] },
        },
      },
    ]),
    defaultRateBp,
  };
};
const classes = (plan: ReturnType<typeof consolidate>) =>
  Object.fromEntries(plan.products.map((p) => [p.sku, [p.taxClass, p.taxRateBp]]));

describe('tax classes of imported products', () => {
  it('Shopify: a category maps bread to reduced, Taxable FALSE is exempt, a tax code names its class', async () => {
    const r = await readExport('shopify', fixture('shopify-taxes.csv'));
    const plan = consolidate([r], { tax: policy('Food=reduced,PB010000=reduced,*=standard') });
    expect(classes(plan)).toEqual({
      'RYE-750': ['reduced', 700],
      'STAMP-1': ['exempt', 0],
      'NOVEL-1': ['reduced', 700],
      'LAMP-1': ['standard', 1900],
    });
    expect(plan.taxClasses).toEqual({ reduced: 2, exempt: 1, standard: 1 });
  });

  it('Square: the Y tax columns name the class; all N is exempt; no tax said and no default needs a decision', async () => {
    const r = await readExport('square', fixture('square-taxes.csv'));
    const plan = consolidate([r], { tax: policy('Reduced VAT (7%)=reduced,VAT (19%)=standard') });
    expect(classes(plan)).toMatchObject({
      'SOUR-1': ['reduced', 700],
      'SOAP-1': ['standard', 1900],
      'NEWS-1': ['exempt', 0],
    });
    expect(plan.needsDecision).toEqual([
      expect.objectContaining({
        sku: 'TOTE-1',
        row: 5,
        reason: expect.stringMatching(/"Accessories".*--tax-class-map/),
      }),
    ]);
  });

  it('Lightspeed: Tax No is exempt and the Tax Class maps; a class no jurisdiction rates needs --tax-rate-bp', async () => {
    const r = await readExport('lightspeed', fixture('lightspeed-r-taxes.csv'));
    const plan = consolidate([r], { tax: policy('Food=reduced,Item=general') });
    expect(classes(plan)).toMatchObject({ 'APPLE-KG': ['reduced', 700], 'VOUCHER-10': ['exempt', 0] });
    expect(plan.needsDecision).toEqual([
      expect.objectContaining({
        sku: 'HAMMER-1',
        taxClass: 'general',
        reason: expect.stringMatching(/--tax-rate-bp/),
      }),
    ]);
    const decided = consolidate([r], { tax: policy('Food=reduced,Item=general', 1900) });
    expect(classes(decided)['HAMMER-1']).toEqual(['general', 1900]);
  });

  it('refuses a map pair without a class, naming the option', () => {
    expect(() => parseTaxClassMap('Food=reduced,Books')).toThrow(/--tax-class-map.*"Books"/s);
  });
});
