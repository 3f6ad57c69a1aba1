import { describe, expect, it } from 'vitest';
import { formatTillList, parseTtl } from './hq-tills.ts';

describe('tally hq tills', () => {
  it('reads a code lifetime as a person writes it, from a minute to a week', () => {
    expect(parseTtl('15m')).toBe(15 * 60_000);
    expect(parseTtl('2h')).toBe(2 * 3_600_000);
    expect(parseTtl('1d')).toBe(86_400_000);
    expect(parseTtl('30')).toBe(30 * 60_000);
    for (const bad of ['30s', '8d', 'soon', '-5m'])
      expect(() => parseTtl(bad)).toThrow(/--ttl: expected a time from 1m to 7d/);
  });

  it('lists tills one a line, a revoked one with when, who and why', () => {
    const text = formatTillList([
      {
        terminalId: 'S001-T01',
        storeId: 'S001',
        name: null,
        enrolledAt: '2026-03-01T08:00:00.000Z',
        lastSeenAt: '2026-03-02T09:00:00.000Z',
        tokenRotatedAt: null,
        revoked: null,
      },
      {
        terminalId: 'S001-T02',
        storeId: 'S001',
        name: 'back office',
        enrolledAt: '2026-03-01T08:00:00.000Z',
        lastSeenAt: null,
        tokenRotatedAt: null,
        revoked: { at: '2026-03-02T10:00:00.000Z', reason: 'reported stolen', by: 'admin' },
      },
    ]);
    expect(text.split('\n')).toEqual([
      'S001-T01\tS001\tactive\tlast seen 2026-03-02T09:00:00.000Z',
      'S001-T02\tS001\tREVOKED 2026-03-02T10:00:00.000Z by admin: reported stolen\tlast seen never\tback office',
    ]);
    expect(formatTillList([])).toBe('no tills enrolled');
  });
});
