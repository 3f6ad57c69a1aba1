import { describe, expect, it } from 'vitest';
import { blindIndex, newDataKey, openPii, sealPii } from './pii-crypto.ts';

const ANA = '01900000-0000-7000-8000-0000000000a1';
const BEN = '01900000-0000-7000-8000-0000000000b2';
const fields = { phone: '+41791234567', email: 'ana@example.org', name: 'Ana Lima', cardNumber: 'LC12345' };

describe("a customer's sealed personal fields", () => {
  it('open again with the key they were sealed under, and the ciphertext shows none of them', () => {
    const key = newDataKey();
    const sealed = sealPii(key, ANA, fields);
    expect(openPii(key, ANA, sealed)).toEqual(fields);
    const text = JSON.stringify(sealed);
    for (const v of Object.values(fields)) expect(text).not.toContain(v);
  });

  it('do not open under another key, for another customer, or once altered', () => {
    const key = newDataKey();
    const sealed = sealPii(key, ANA, fields);
    expect(() => openPii(newDataKey(), ANA, sealed)).toThrow(expect.objectContaining({ field: 'key' }));
    expect(() => openPii(key, BEN, sealed)).toThrow(expect.objectContaining({ field: 'key' }));
    const flipped = Buffer.from(sealed.ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => openPii(key, ANA, { ...sealed, ct: flipped.toString('base64') })).toThrow();
  });

  it('are unreadable for good once the key is destroyed: nothing left in the blob opens it', () => {
    let key: string | undefined = newDataKey();
    const sealed = sealPii(key, ANA, fields);
    key = undefined;
    // Without the key, any other 256-bit key fails the GCM tag.
    for (let i = 0; i < 20; i++) expect(() => openPii(newDataKey(), ANA, sealed)).toThrow();
    expect(key).toBeUndefined();
  });

  it('seal the same fields differently each time (fresh nonce), so equal customers do not look equal', () => {
    const key = newDataKey();
    expect(sealPii(key, ANA, fields).ct).not.toBe(sealPii(key, ANA, fields).ct);
  });
});

describe('the blind index of identifiers', () => {
  it('is the same for the same identifier and secret, and differs by secret and by kind', () => {
    expect(blindIndex('s1', 'phone', '+41791234567')).toBe(blindIndex('s1', 'phone', '+41791234567'));
    expect(blindIndex('s1', 'phone', '+41791234567')).not.toBe(blindIndex('s2', 'phone', '+41791234567'));
    expect(blindIndex('s1', 'phone', '12345678')).not.toBe(blindIndex('s1', 'card', '12345678'));
    expect(blindIndex('s1', 'email', 'ana@example.org')).toMatch(/^[0-9a-f]{64}$/);
  });
});
