import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedAdd, defaultShopLimits, safeText, TEXT_LIMITS, textProblem } from './limits.ts';

describe('text a till or HQ may store', () => {
  it('refuses a NUL in a customer name, naming why', () => {
    expect(textProblem('Ann\u0000Lee', 'name')).toBe('contains a control character');
    expect(safeText('name').safeParse('Ann\u0000Lee').success).toBe(false);
  });

  it('refuses an unpaired surrogate and an over-long reason', () => {
    expect(textProblem('bad \ud800 text', 'reason')).toMatch(/invalid Unicode/);
    expect(textProblem('x'.repeat(TEXT_LIMITS.reason + 1), 'reason')).toMatch(/at most 500/);
  });

  it('keeps umlauts, emoji and right-to-left names', () => {
    for (const ok of ['Jürgen Groß', 'Café 🍰', 'مريم', 'Zoë-Ann O’Neil'])
      expect(textProblem(ok, 'name')).toBeUndefined();
  });

  it('allows line breaks only where a field is multi-line', () => {
    expect(textProblem('two\nlines', 'note')).toMatch(/line break/);
    expect(textProblem('two\nlines', 'note', { multiline: true })).toBeUndefined();
  });

  it('every string it accepts survives a JSON and jsonb round trip unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        if (textProblem(s, 'name') !== undefined) return;
        expect(s.includes('\u0000')).toBe(false);
        expect(JSON.parse(JSON.stringify(s))).toBe(s);
        expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s);
      }),
    );
  });
});

describe('checked sums', () => {
  it('adds exactly and refuses to pass 2^53', () => {
    expect(checkedAdd(2, 3)).toBe(5);
    expect(() => checkedAdd(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
  });

  it('the default limits keep a year of maximal sales far below 2^53', () => {
    const l = defaultShopLimits();
    // A store selling its largest possible sale every second for a year still sums exactly.
    expect(l.maxAmountMinor * 60 * 60 * 24 * 366).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });
});
