import { describe, expect, it } from 'vitest';
import { findUnsafeValue, MAX_DEPTH } from './unsafe-input.ts';

/** The backstop under every till route: what no field may hold, wherever it sits. */
describe('values no request may carry', () => {
  it('names the path of a NUL, a lone surrogate, an over-long text or an inexact number', () => {
    expect(findUnsafeValue({ customer: { name: 'Ana\u0000' } }, 'body')).toMatchObject({
      field: 'body.customer.name',
    });
    expect(findUnsafeValue({ lines: [{ sku: 'a' }, { sku: '\ud800' }] }, 'body')?.field).toBe(
      'body.lines.1.sku',
    );
    expect(findUnsafeValue({ note: 'x'.repeat(2_001) }, 'body')?.message).toMatch(/2001 characters/);
    expect(findUnsafeValue({ qty: Number.POSITIVE_INFINITY }, 'body')?.field).toBe('body.qty');
    expect(findUnsafeValue({ amountMinor: 2 ** 53 }, 'body')?.field).toBe('body.amountMinor');
  });

  it('refuses a field name that is itself unsafe, and nesting deeper than any register sends', () => {
    expect(findUnsafeValue({ 'na\u0000me': 'Ana' }, 'body')?.message).toMatch(/field name/);
    let deep: unknown = 'x';
    for (let i = 0; i <= MAX_DEPTH; i++) deep = [deep];
    expect(findUnsafeValue(deep, 'body')?.message).toMatch(/nests deeper/);
  });

  it('lets through what a register sends: names, notes with line breaks, fractions, nulls', () => {
    expect(
      findUnsafeValue(
        { name: 'Zoë Ørsted 👩‍🍳', note: 'two\nlines', percent: 12.5, customerId: null, ok: true, tags: [] },
        'body',
      ),
    ).toBeUndefined();
  });
});
