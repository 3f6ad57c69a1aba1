import { describe, expect, it } from 'vitest';
import { formatInstant, groupEntries, wallTimeToInstant } from './priceStatus.ts';
import type { PriceEntry } from './pricingApi.ts';

const entry = (
  id: number,
  scope: PriceEntry['scope'],
  scopeId: string,
  from: string,
  to: string | null = null,
): PriceEntry => ({
  id,
  sku: 'TEA',
  scope,
  scopeId,
  priceMinor: 100 + id,
  effectiveFrom: from,
  effectiveTo: to,
});

describe('pricebook as the back office reads it', () => {
  it('marks per scope the entry in force, the scheduled one, the superseded and the past', () => {
    const now = new Date('2026-06-15T12:00:00Z');
    const groups = groupEntries(
      [
        entry(1, 'chain', '', '2026-01-01T00:00:00Z'),
        entry(2, 'store', 'S001', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'),
        entry(3, 'store', 'S001', '2026-05-01T00:00:00Z'),
        entry(4, 'chain', '', '2026-06-01T00:00:00Z'),
        entry(5, 'store', 'S001', '2026-07-01T00:00:00Z'),
        entry(6, 'zone', 'CITY', '2026-02-01T00:00:00Z'),
      ],
      now,
    );
    expect(groups.map((g) => `${g.scope}:${g.scopeId}`)).toEqual(['chain:', 'zone:CITY', 'store:S001']);
    const statuses = Object.fromEntries(groups.flatMap((g) => g.entries.map((e) => [e.entry.id, e.status])));
    expect(statuses).toEqual({
      1: 'superseded',
      2: 'past',
      3: 'in force',
      4: 'in force',
      5: 'scheduled',
      6: 'in force',
    });
    expect(groups[2]?.entries.map((e) => e.entry.id)).toEqual([5, 3, 2]);
  });

  it("reads a wall time typed for a store in that store's zone, summer and winter", () => {
    expect(wallTimeToInstant('2026-12-01T09:00', 'Europe/Berlin')).toBe('2026-12-01T08:00:00.000Z');
    expect(wallTimeToInstant('2026-07-01T09:00', 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(wallTimeToInstant('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(wallTimeToInstant('next tuesday', 'Europe/Berlin')).toBeUndefined();
  });

  it("writes an instant in the store's locale and zone", () => {
    expect(formatInstant('2026-12-01T08:00:00Z', 'de-DE', 'Europe/Berlin')).toBe('01.12.2026, 09:00');
    expect(formatInstant(null, 'de-DE')).toBe('—');
  });
});
