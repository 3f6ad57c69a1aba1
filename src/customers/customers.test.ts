import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from './customers.ts';

describe('customer identity', () => {
  it('normalises phone numbers and emails so the same customer is found however they are typed', () => {
    expect(normalizePhone(' +41 (79) 123-45-67 ')).toBe('+41791234567');
    expect(normalizePhone('079 123 45 67')).toBe('0791234567');
    expect(normalizeEmail('  Ana.Lima@Example.ORG ')).toBe('ana.lima@example.org');
  });

  it('refuses what is not a phone number or an email, naming the field', () => {
    expect(() => normalizePhone('12')).toThrow(expect.objectContaining({ field: 'phone' }));
    expect(() => normalizeEmail('ana@')).toThrow(expect.objectContaining({ field: 'email' }));
  });
});
