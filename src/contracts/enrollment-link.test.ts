import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enrollCommand, enrollmentQrText, parseEnrollmentQrText } from './enrollment-link.ts';

describe('the enrollment QR line', () => {
  it("carries HQ's address and the code, and reads back exactly", () => {
    const text = enrollmentQrText('https://hq.example-retail.internal:4100/', '7K3M-Q9XD-2HPN-WR4T');
    expect(text).toBe(
      'tally-enroll:?hq=https%3A%2F%2Fhq.example-retail.internal%3A4100&code=7K3M-Q9XD-2HPN-WR4T',
    );
    expect(parseEnrollmentQrText(text)).toEqual({
      hqUrl: 'https://hq.example-retail.internal:4100',
      code: '7K3M-Q9XD-2HPN-WR4T',
    });
  });

  it('round-trips any HQ address and code a person could be given', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true }),
        fc.stringMatching(/^[0-9A-Z-]{1,24}$/),
        (url, code) => {
          const back = parseEnrollmentQrText(enrollmentQrText(url, code));
          expect(back).toEqual({ hqUrl: url.replace(/\/+$/, ''), code });
        },
      ),
    );
  });

  it('leaves a bare typed code alone and refuses a line without an http(s) HQ', () => {
    expect(parseEnrollmentQrText('7K3M-Q9XD-2HPN-WR4T')).toBeUndefined();
    expect(parseEnrollmentQrText('tally-enroll:?hq=javascript:alert(1)&code=X')).toBeUndefined();
    expect(parseEnrollmentQrText('tally-enroll:?hq=https://hq&code=')).toBeUndefined();
  });

  it('tells the installer a command that reads the code from standard input, never from argv', () => {
    expect(enrollCommand('https://hq.example:4100/')).toBe(
      'npx tally terminal --hq https://hq.example:4100 --enroll-code -',
    );
  });
});
