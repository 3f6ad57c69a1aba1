import type { TillCustomersDelta } from '../../contracts/index.ts';
import type { SqliteDb } from '../../db/index.ts';
import { consentPurpose } from '../events.ts';

/**
 * The till's side of the customers' part of the catalog pull: the cursor it sends back
 * (`customersSince`) and what it does with a page. Only customers cached here are touched (a segment
 * or consent of someone this till never saw has nothing to attach to; looking them up brings both).
 * A consent is taken only when HQ's change is at least as recent as the one held here, so a change
 * made at this till offline, not yet at HQ, is not undone by HQ's older value.
 */

export interface CustomerPullResult {
  segments: number;
  consents: number;
}

/** The cursor of the last page applied, or undefined before the first pull. */
export function customerPullCursor(db: SqliteDb): string | undefined {
  return (
    (db.prepare('SELECT cursor FROM customer_pull WHERE id = 1').pluck().get() as string | undefined) ??
    undefined
  );
}

/** Applies one page and keeps its cursor, in one transaction; counts what changed here. */
export function applyCustomerChanges(
  db: SqliteDb,
  delta: TillCustomersDelta,
  at: string,
): CustomerPullResult {
  const q = {
    clearSegments: db.prepare('UPDATE customers SET segment = NULL WHERE segment IS NOT NULL'),
    segment: db.prepare('UPDATE customers SET segment = ? WHERE customer_id = ? AND segment IS NOT ?'),
    consent: db.prepare(
      `INSERT INTO customer_consents (customer_id, purpose, granted, at)
       SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM customers WHERE customer_id = ?)
       ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = excluded.granted, at = excluded.at
       WHERE customer_consents.at <= excluded.at AND customer_consents.granted <> excluded.granted`,
    ),
    marketing: db.prepare(
      `UPDATE customers SET marketing_consent = coalesce((SELECT max(granted) FROM customer_consents c
         WHERE c.customer_id = customers.customer_id AND c.purpose IN ('marketing_email', 'marketing_sms')), 0)
       WHERE customer_id = ?`,
    ),
    cursor: db.prepare(
      `INSERT INTO customer_pull (id, cursor, at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, at = excluded.at`,
    ),
  };
  return db.transaction(() => {
    // A whole list replaces what this till held: a segment HQ no longer has must not linger.
    if (delta.full) q.clearSegments.run();
    let segments = 0;
    let consents = 0;
    for (const c of delta.changes) {
      segments += q.segment.run(c.segment, c.customerId, c.segment).changes;
      let moved = 0;
      for (const k of c.consents) {
        const purpose = consentPurpose.safeParse(k.purpose);
        if (!purpose.success) continue;
        const at = new Date(k.at).toISOString();
        moved += q.consent.run(c.customerId, purpose.data, k.granted ? 1 : 0, at, c.customerId).changes;
      }
      if (moved > 0) q.marketing.run(c.customerId);
      consents += moved;
    }
    q.cursor.run(delta.cursor, at);
    return { segments, consents };
  })();
}
