import { describe, expect, it } from 'vitest';
import { enrollmentQrText } from '../../../contracts/enrollment-link.ts';
import { qrModules } from './qr.ts';

describe('the enrollment QR code', () => {
  it('is a square with the three finder patterns a phone or scanner looks for', () => {
    const m = qrModules(enrollmentQrText('https://hq.example-retail.internal:4100', '7K3M-Q9XD-2HPN-WR4T'));
    const n = m.length;
    expect(n).toBeGreaterThanOrEqual(21);
    expect((n - 17) % 4).toBe(0);
    for (const row of m) expect(row).toHaveLength(n);
    // Each finder: a dark 7x7 ring around a light ring around a dark 3x3 core.
    for (const [r0, c0] of [
      [0, 0],
      [0, n - 7],
      [n - 7, 0],
    ] as const) {
      for (let i = 0; i < 7; i++) {
        expect(m[r0]?.[c0 + i]).toBe(true);
        expect(m[r0 + 6]?.[c0 + i]).toBe(true);
      }
      expect(m[r0 + 1]?.[c0 + 1]).toBe(false);
      expect(m[r0 + 3]?.[c0 + 3]).toBe(true);
    }
  });

  it('grows with what it carries, so a long HQ address still fits', () => {
    const short = qrModules(enrollmentQrText('https://hq', 'AAAA-BBBB-CCCC-DDDD')).length;
    const long = qrModules(
      enrollmentQrText(`https://${'a'.repeat(120)}.example`, 'AAAA-BBBB-CCCC-DDDD'),
    ).length;
    expect(long).toBeGreaterThan(short);
  });
});
