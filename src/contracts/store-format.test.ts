import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor } from '../core/index.ts';
import { storeFormat, wallClock } from './store-format.ts';

const berlin = storeFormat({ timeZone: 'Europe/Berlin' });

describe('storeFormat', () => {
  it('a Berlin store writes 02.12.2026, 24-hour time and 1.234,50 €', () => {
    const at = '2026-12-02T13:05:00Z'; // 14:05 in Berlin
    expect(berlin.locale).toBe('de-DE');
    expect(berlin.date(at)).toBe('02.12.2026');
    expect(berlin.time(at)).toBe('14:05');
    expect(berlin.dateTime(at)).toBe('02.12.2026, 14:05');
    expect(berlin.money(123450, 'EUR').replace(/\s/g, ' ')).toBe('1.234,50 €');
    expect(berlin.amount(123450, 'EUR')).toBe('1.234,50');
  });

  it('a store in New York writes month first and AM/PM; its own locale wins over its zone', () => {
    const ny = storeFormat({ timeZone: 'America/New_York' });
    expect(ny.date('2026-12-02T19:05:00Z')).toBe('12/02/2026');
    expect(ny.time('2026-12-02T19:05:00Z')).toBe('02:05 PM');
    const named = storeFormat({ timeZone: 'Europe/Berlin', locale: 'en-GB' });
    expect(named.date('2026-12-02T13:05:00Z')).toBe('02/12/2026');
    expect(named.time('2026-12-02T13:05:00Z')).toBe('14:05');
  });

  it('a receipt shows the wall clock its event recorded, whatever the zone says now', () => {
    const recorded = '2026-07-01T09:30:12.000+02:00';
    expect(berlin.wallDateTime(recorded)).toBe('01.07.2026, 09:30');
    expect(storeFormat({ timeZone: 'Asia/Tokyo' }).wallTime(recorded)).toBe('09:30');
    expect(wallClock('2026-07-01').toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });

  it('currencies keep their own decimals', () => {
    expect(berlin.amount(1234, 'JPY')).toBe('1.234');
    expect(berlin.amount(-5, 'EUR')).toBe('-0,05');
    expect(berlin.amount(1234, 'BHD')).toBe('1,234');
  });

  it('an unknown time zone falls back to UTC instead of breaking every date', () => {
    expect(storeFormat({ timeZone: 'Mars/Olympus', locale: 'de-DE' }).time('2026-12-02T13:05:00Z')).toBe(
      '13:05',
    );
  });

  it('every amount reads back to the same minor units in de-DE (no float rounding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_007_199_254_740, max: 9_007_199_254_740 }), (minor) => {
        const text = berlin.amount(minor, 'EUR').replace(/\./g, '').replace(',', '.');
        expect(text).toBe(formatMinor(minor, 'EUR'));
      }),
    );
  });
});
