import { describe, expect, it } from 'vitest';
import type { ProductRow } from '../../../contracts/index.ts';
import { ApiError } from '../api.ts';
import { pageText } from './ProductTable.tsx';
import { createBody, emptyForm, formOf, marginText, patchBody } from './productForm.ts';

const row: ProductRow = {
  sku: 'TEA',
  name: 'Green Tea',
  barcodes: ['4006381333931'],
  category: 'Drinks',
  categoryId: null,
  priceMinor: 349,
  costMinor: 120,
  marginBp: 6562,
  supplier: 'Teeko',
  supplierCode: null,
  taxClass: null,
  taxRateBp: 700,
  status: 'active',
  active: true,
  unit: 'each',
  packSize: null,
  parentId: null,
  parentName: null,
  options: {},
};

describe('the product editor form', () => {
  it('sends a new product in minor units and basis points, exactly', () => {
    const body = createBody(
      {
        ...emptyForm(),
        sku: ' OAT ',
        name: 'Oat Drink',
        price: '2.49',
        cost: '1.2',
        taxRate: '7',
        barcodes: ['4006381333931'],
      },
      'EUR',
    );
    expect(body).toMatchObject({
      sku: 'OAT',
      priceMinor: 249,
      costMinor: 120,
      taxRateBp: 700,
      categoryId: null,
    });
  });

  it('refuses a wrong check digit or an amount with too many decimals, naming the field as HQ would', () => {
    const bad = () =>
      createBody({ ...emptyForm(), price: '1', taxRate: '7', barcodes: ['4006381333932'] }, 'EUR');
    expect(bad).toThrow(ApiError);
    expect(bad).toThrow('barcodes.0: "4006381333932" has a wrong GTIN check digit');
    try {
      createBody({ ...emptyForm(), price: '1.999', taxRate: '7' }, 'EUR');
    } catch (e) {
      expect((e as ApiError).field).toBe('priceMinor');
    }
    expect.assertions(3);
  });

  it('sends only what changed in an edit', () => {
    const before = formOf(row, 'EUR');
    expect(patchBody({ ...before, cost: '1.35' }, before, 'EUR')).toEqual({ costMinor: 135 });
    expect(patchBody({ ...before, barcodes: [] }, before, 'EUR')).toEqual({ barcodes: [] });
    expect(patchBody(before, before, 'EUR')).toEqual({});
  });

  it('shows the margin while typing and the page as "showing 1–50 of 1,234"', () => {
    expect(marginText('2.49', '1.35', 'EUR')).toBe('45.8 %');
    expect(marginText('', '1.35', 'EUR')).toBe('');
    expect(pageText({ total: 1234, offset: 0, shown: 50 })).toBe('showing 1–50 of 1,234');
    expect(pageText({ total: 0, offset: 0, shown: 0 })).toBe('no products match');
  });
});
