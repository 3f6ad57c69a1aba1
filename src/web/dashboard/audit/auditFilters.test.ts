import { describe, expect, it } from 'vitest';
import { describeChange, filterParams, NO_FILTERS } from './auditFilters.ts';

describe('the audit panel', () => {
  it('sends only the filters a manager filled in, trimmed', () => {
    expect(filterParams(NO_FILTERS)).toEqual({});
    expect(filterParams({ ...NO_FILTERS, user: ' maria ', store: 'S1', from: '2025-03-01' })).toEqual({
      user: 'maria',
      store: 'S1',
      from: '2025-03-01',
    });
  });

  it('reads a price change as the field that moved, and a new thing as new', () => {
    expect(describeChange({ priceMinor: 349, sku: 'TEA' }, { priceMinor: 379, sku: 'TEA' })).toBe(
      'priceMinor 349 → 379',
    );
    expect(describeChange({ status: 'draft' }, { status: 'approved', decidedBy: 'maria' })).toBe(
      'status draft → approved',
    );
    expect(describeChange({ qty: 30 }, { qty: 30, by: 'sam' })).toBe('by — → sam');
    expect(describeChange({ qty: 30 }, { qty: 30 })).toBe('no change');
    expect(describeChange(null, { id: 'CITY', name: 'City' })).toBe('new: {"id":"CITY","name":"City"}');
    expect(describeChange(null, null)).toBe('');
    expect(describeChange({ a: 1, b: 2, c: 3, d: 4 }, { a: 2, b: 3, c: 4, d: 5 })).toBe(
      'a 1 → 2; b 2 → 3; c 3 → 4 (+1 more)',
    );
  });
});
