/**
 * What the QR code beside a till enrollment code holds: HQ's address and the one-time code, as one
 * line `tally-enroll:?hq=<url>&code=<code>`. A scanner typing it into `tally terminal --enroll-code -`
 * gives the till both (the CLI takes the HQ address from it when --hq is not given), and a person
 * reading it sees the code in clear. Browser safe (the dashboard draws it).
 */
const SCHEME = 'tally-enroll:';

export function enrollmentQrText(hqUrl: string, code: string): string {
  const q = new URLSearchParams({ hq: hqUrl.replace(/\/+$/, ''), code });
  return `${SCHEME}?${q.toString()}`;
}

/** The HQ address and code in a scanned line, or undefined when the line is a bare code. */
export function parseEnrollmentQrText(text: string): { hqUrl: string; code: string } | undefined {
  const t = text.trim();
  if (!t.toLowerCase().startsWith(SCHEME)) return undefined;
  const q = new URLSearchParams(t.slice(SCHEME.length).replace(/^\?/, ''));
  const hqUrl = q.get('hq') ?? '';
  const code = q.get('code') ?? '';
  if (!/^https?:\/\/[^\s]+$/.test(hqUrl) || code === '') return undefined;
  return { hqUrl, code };
}

/** The line to type at the till; the code itself is asked for on standard input, never put on argv. */
export const enrollCommand = (hqUrl: string): string =>
  `npx tally terminal --hq ${hqUrl.replace(/\/+$/, '')} --enroll-code -`;
