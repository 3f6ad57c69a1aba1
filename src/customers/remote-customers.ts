import { z } from 'zod';
import type { SqliteDb } from '../db/index.ts';
import { consentPurpose, consentsSchema } from './events.ts';
import { dataKeySchema } from './pii-crypto.ts';

/**
 * A till finding a customer registered at another store: asks HQ (terminal-authenticated) by phone,
 * email or card, and caches what HQ answers (row, consents, key marked as held by HQ) so the customer
 * is found here offline next time. HQ unreachable or not knowing them: undefined, the till goes on.
 */
export const remoteCustomerSchema = z.object({
  customerId: z.uuid(),
  phone: z.string().max(40).optional(),
  email: z.string().max(254).optional(),
  name: z.string().max(200).optional(),
  cardNumber: z.string().max(40).optional(),
  consents: consentsSchema,
  registeredAt: z.string().nullable(),
  key: dataKeySchema,
  /** The newest scoring run's segment; absent from an HQ that predates segments at tills. */
  segment: z.string().max(64).nullable().optional(),
});
export type RemoteCustomer = z.infer<typeof remoteCustomerSchema>;

export type CustomerQuery = {
  phone?: string | undefined;
  email?: string | undefined;
  cardNumber?: string | undefined;
};
export type RemoteCustomerLookup = (q: CustomerQuery) => Promise<RemoteCustomer | undefined>;

/**
 * Keeps a customer HQ sent; false when a local customer already holds one of their identifiers, or
 * when HQ has erased them since it answered (an answer in flight must not bring them back).
 */
export function cacheRemoteCustomer(db: SqliteDb, c: RemoteCustomer, at: string): boolean {
  return db.transaction(() => {
    if (db.prepare('SELECT 1 FROM erased_customers WHERE customer_id = ?').get(c.customerId)) return false;
    const marketing = c.consents.marketing_email || c.consents.marketing_sms;
    const r = db
      .prepare(
        `INSERT OR IGNORE INTO customers (customer_id, phone, email, name, card_number, marketing_consent, created_at, segment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.customerId,
        c.phone ?? null,
        c.email ?? null,
        c.name ?? null,
        c.cardNumber ?? null,
        marketing ? 1 : 0,
        c.registeredAt ?? at,
        c.segment ?? null,
      );
    if (r.changes === 0) return false;
    // HQ holds the key already: nothing to send back.
    db.prepare('INSERT OR REPLACE INTO customer_keys (customer_id, data_key, sent_at) VALUES (?, ?, ?)').run(
      c.customerId,
      c.key,
      at,
    );
    const consent = db.prepare(
      `INSERT INTO customer_consents (customer_id, purpose, granted, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = excluded.granted, at = excluded.at`,
    );
    // Dated at registration, not now: these are HQ's values, so any later change HQ sends replaces them.
    const since = c.registeredAt ?? at;
    for (const p of consentPurpose.options) consent.run(c.customerId, p, c.consents[p] ? 1 : 0, since);
    return true;
  })();
}
