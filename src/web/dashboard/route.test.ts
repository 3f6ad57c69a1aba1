import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './route.ts';

describe('the place on the screen, kept in the URL hash', () => {
  it("opens the briefing's links where they point", () => {
    expect(parseRoute('#/insights/forecast?store=S001&sku=100032')).toEqual({
      view: 'insights',
      focus: 'forecast',
      params: { store: 'S001', sku: '100032' },
    });
    expect(parseRoute('#/ops/tills?store=S002')).toEqual({
      view: 'ops',
      focus: 'tills',
      params: { store: 'S002' },
    });
  });

  it('falls back to the operations view for an empty or unknown hash', () => {
    for (const h of ['', '#', '#/', '#/nonsense', '#/main'])
      expect(parseRoute(h)).toMatchObject({ view: 'ops', params: {} });
  });

  it('writes back what it reads, dropping empty values', () => {
    expect(routeHash({ view: 'insights', focus: '', params: { store: 'S001', sku: '' } })).toBe(
      '#/insights?store=S001',
    );
    const word = fc.stringMatching(/^[A-Za-z0-9 &|._-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('ops' as const, 'insights' as const, 'people' as const),
        fc.constantFrom('', 'forecast', 'tills'),
        fc.dictionary(fc.constantFrom('store', 'sku', 'category'), word),
        (view, focus, params) => {
          expect(parseRoute(routeHash({ view, focus, params }))).toEqual({ view, focus, params });
        },
      ),
    );
  });
});
