import { describe, expect, it } from 'vitest';
import { isKnownLocale, localeForTimeZone, storeLocale } from './locale.ts';

describe('a store writes in its locale', () => {
  it('a Berlin store without a locale writes dates as 02.12.2026 and 24-hour time', () => {
    const locale = storeLocale({ timeZone: 'Europe/Berlin' });
    const at = new Date('2026-12-02T14:05:00Z');
    const text = new Intl.DateTimeFormat(locale, {
      timeZone: 'Europe/Berlin',
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(at);
    expect(text).toBe('02.12.2026, 15:05');
  });
  it('a locale the store names wins over its time zone', () => {
    expect(storeLocale({ timeZone: 'Europe/Berlin', locale: 'en-GB' })).toBe('en-GB');
  });
  it('American zones read as en-US, unknown ones as en-GB', () => {
    expect(localeForTimeZone('America/Chicago')).toBe('en-US');
    expect(localeForTimeZone('Africa/Nairobi')).toBe('en-GB');
  });
  it('tells a real locale from a made-up one', () => {
    expect(isKnownLocale('de-DE')).toBe(true);
    expect(isKnownLocale('not a locale')).toBe(false);
  });
});
