import { describe, expect, it } from 'vitest';
import { businessDate } from './clock.ts';
import { isUuidV7, newId } from './ids.ts';

describe('business date', () => {
  it('puts a sale at 00:30 in Berlin on the Berlin day, not the UTC day', () => {
    expect(businessDate(new Date('2026-03-01T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-02');
    expect(businessDate(new Date('2026-03-01T23:30:00Z'), 'UTC')).toBe('2026-03-01');
  });
});

describe('ids', () => {
  it('makes UUIDv7 ids that sort in creation order', () => {
    const ids = Array.from({ length: 200 }, () => newId());
    expect(ids.every(isUuidV7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
