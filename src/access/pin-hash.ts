import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * A till PIN's hash: made at HQ (`tally users till-pin`) and checked at a till with HQ away, so the
 * one format lives here, in `access` (HQ hashes, tills check through access/till). `scrypt$N$r$p$salt$key` (base64url), the format of HQ's password
 * hashes, at a lower cost: a till checks it on every sign-in and approval. A 4–8 digit PIN cannot
 * resist an offline guesser whatever the cost, so the hashes travel only to the tills of the user's
 * stores and rest in owner-only files; the lockout after wrong PINs is what protects a PIN at the till.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export const PIN_PATTERN = /^\d{4,8}$/;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, KEY_LEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

// Checked when there is no hash to check against, so a wrong code costs as long as a wrong PIN.
let decoy: string | undefined;

/** True when `pin` is the PIN behind `stored`; a missing or malformed hash is never a match. */
export function verifyPin(pin: string, stored: string | undefined | null): boolean {
  const parts = (stored ?? '').split('$');
  const [alg, n, r, p, salt, key] = parts;
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !key || Number(n) > 1 << 20) {
    decoy ??= hashPin('0000');
    verifyPin(pin, decoy);
    return false;
  }
  const expected = Buffer.from(key, 'base64url');
  const got = scryptSync(pin, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return got.length === expected.length && timingSafeEqual(got, expected) && PIN_PATTERN.test(pin);
}
