import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { invalid } from '../core/index.ts';

/**
 * Crypto-shredding of a customer's personal fields. Each customer has its own AES-256-GCM data key; the
 * fields travel in events only as ciphertext, and the key travels beside the log (till table, HQ table,
 * a side route), never in it. The event log is permanent and hash-chained, so destroying the key is how
 * a customer is erased from it: the ciphertext stays, unreadable by anyone.
 */

/** The personal fields that are encrypted; everything else about a customer is not personal on its own. */
export const personalFieldsSchema = z.object({
  phone: z.string().max(40).optional(),
  email: z.string().max(254).optional(),
  name: z.string().max(200).optional(),
  cardNumber: z.string().max(40).optional(),
});
export type PersonalFields = z.infer<typeof personalFieldsSchema>;

/** What an event carries instead of the fields: version, nonce, ciphertext, GCM tag (base64). */
export const sealedPiiSchema = z.object({
  v: z.literal(1),
  iv: z.string().regex(/^[A-Za-z0-9+/]{16}$/, 'a 12-byte base64 nonce'),
  ct: z
    .string()
    .max(4000)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
  tag: z.string().regex(/^[A-Za-z0-9+/]{22}==$/, 'a 16-byte base64 tag'),
});
export type SealedPii = z.infer<typeof sealedPiiSchema>;

/** A data key as stored and sent: 32 random bytes, base64. */
export const dataKeySchema = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a 32-byte base64 key');

export const newDataKey = (): string => randomBytes(32).toString('base64');

const keyBytes = (key: string): Buffer => {
  const k = Buffer.from(dataKeySchema.parse(key), 'base64');
  if (k.length !== 32) throw invalid('key', 'a data key is 32 bytes');
  return k;
};

/**
 * The customer id is the associated data: a sealed blob copied onto another customer's event does not
 * open under that customer's key, even if the keys were the same.
 */
export function sealPii(key: string, customerId: string, fields: PersonalFields): SealedPii {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  c.setAAD(Buffer.from(customerId, 'utf8'));
  const ct = Buffer.concat([c.update(JSON.stringify(personalFieldsSchema.parse(fields)), 'utf8'), c.final()]);
  return {
    v: 1,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
  };
}

/** Throws when the key is not this customer's or the blob was altered (GCM authenticates both). */
export function openPii(key: string, customerId: string, sealed: SealedPii): PersonalFields {
  const d = createDecipheriv('aes-256-gcm', keyBytes(key), Buffer.from(sealed.iv, 'base64'));
  d.setAAD(Buffer.from(customerId, 'utf8'));
  d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  let text: string;
  try {
    text = Buffer.concat([d.update(Buffer.from(sealed.ct, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw invalid('key', `the data key does not open customer ${customerId}'s personal fields`);
  }
  return personalFieldsSchema.parse(JSON.parse(text));
}

export type IdentifierKind = 'phone' | 'email' | 'card';

/**
 * A blind index: HMAC-SHA256 of the normalised identifier under a secret only HQ holds, so a profile
 * is found by phone, email or card without decrypting every customer, and the index alone says nothing.
 * The kind is part of the message, so a phone and a card number with the same digits differ.
 */
export const blindIndex = (secret: string | Buffer, kind: IdentifierKind, normalised: string): string =>
  createHmac('sha256', secret).update(`${kind}\n${normalised}`, 'utf8').digest('hex');
