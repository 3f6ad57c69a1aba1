import { sql } from 'kysely';
import { notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogChangesSince, redactEventFields } from '../../sync/hq/index.ts';
import { CUSTOMER_EVENT_TYPES, customerErasedSchema } from '../events.ts';
import { isErased } from './customer-keys.ts';
import type { AppendCustomerEvents } from './hq-customer-writes.ts';

/**
 * Erasing a customer (right to be forgotten). The event log is permanent and chained, so erasure is
 * crypto-shredding: the data key is destroyed and the sealed fields in customer.created v2 stay as
 * unreadable ciphertext. Everything mutable that names the customer is removed, place by place: the
 * customers module's own tables, and whatever other modules register (`CustomerDataPlace`, passed by
 * the app: intel's scores, stored value's account links…). A customer.erased event carrying only the id
 * keeps a rebuild from bringing the profile back and tells tills (through the catalog pull) to drop
 * their copy. Sales and returns stay: their payloads hold no personal field, and the customerId on them
 * is kept as a random id that no longer leads to anyone.
 */
export interface PlaceReport {
  place: string;
  found: number;
  removed: number;
  /** What stays and why, when something does. */
  note?: string;
}

/** Somewhere at HQ that holds data derived from or about one customer. */
export interface CustomerDataPlace {
  place: string;
  erase(trx: HqDb, customerId: string): Promise<PlaceReport>;
}

export interface ErasureReport {
  customerId: string;
  alreadyErased: boolean;
  erasedAt: string;
  places: PlaceReport[];
}

const count = async (trx: HqDb, query: ReturnType<typeof sql<{ n: string }>>): Promise<number> =>
  Number((await query.execute(trx)).rows[0]?.n ?? 0);

/** Deletes the customer's rows in one of the module's tables. */
const tablePlace = (table: string, place: string): CustomerDataPlace => ({
  place,
  async erase(trx, customerId) {
    const r = await sql`DELETE FROM ${sql.table(table)} WHERE customer_id = ${customerId}`.execute(trx);
    const n = Number(r.numAffectedRows ?? 0);
    return { place, found: n, removed: n };
  },
});

/** Sealed events that reference the customer: counted, not rewritten (unreadable without the key). */
const eventLogPlace: CustomerDataPlace = {
  place: 'event log: customer.created v2 (sealed personal fields)',
  async erase(trx, customerId) {
    const found = await count(
      trx,
      sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE type = ${CUSTOMER_EVENT_TYPES.customerCreated}
        AND schema_version >= 2 AND payload->>'customerId' = ${customerId}`,
    );
    return {
      place: this.place,
      found,
      removed: 0,
      note: 'ciphertext kept in the chained log; unreadable once the key is destroyed',
    };
  },
};

/**
 * customer.created v1 carried phone, email and name in clear. HQ's copy is redacted in place, recorded
 * in event_redactions so verify-chains checks its links and not its content; content_hash is kept, so
 * a till resending the original is still a duplicate. The till's own ledger.db copy is not rewritten
 * (its chain is verified there): that till's events table keeps the v1 fields until the till is retired.
 */
const V1_PERSONAL_FIELDS = ['phone', 'email', 'name'] as const;
const v1Place: CustomerDataPlace = {
  place: 'event log: customer.created v1 (personal fields in clear)',
  async erase(trx, customerId) {
    const { rows } = await sql<{
      id: string;
    }>`SELECT id FROM events WHERE type = ${CUSTOMER_EVENT_TYPES.customerCreated}
      AND schema_version = 1 AND payload->>'customerId' = ${customerId}`.execute(trx);
    let removed = 0;
    for (const r of rows)
      if (await redactEventFields(trx, r.id, V1_PERSONAL_FIELDS, `customer ${customerId} erased`)) removed++;
    return {
      place: this.place,
      found: rows.length,
      removed,
      ...(rows.length > 0
        ? {
            note: 'redacted in place and recorded in event_redactions; verify-chains checks links only for these',
          }
        : {}),
    };
  },
};

const salesPlace: CustomerDataPlace = {
  place: 'event log: sales naming the customer',
  async erase(trx, customerId) {
    const found = await count(
      trx,
      sql<{
        n: string;
      }>`SELECT count(*) AS n FROM events WHERE type LIKE 'sale.%' AND payload->>'customerId' = ${customerId}`,
    );
    return {
      place: this.place,
      found,
      removed: 0,
      note: 'kept for the books: no personal field, the customerId stays as an anonymous id',
    };
  },
};

const tillsPlace: CustomerDataPlace = {
  place: 'tills (cached row and key)',
  async erase() {
    return {
      place: this.place,
      found: 1,
      removed: 0,
      note: 'the erased id goes out with the next catalog pull; each till then drops its row and key',
    };
  },
};

/** The customers module's own places, in the order they are reported. */
export const customerOwnPlaces: readonly CustomerDataPlace[] = [
  tablePlace('customer_keys', 'data key (customer_keys)'),
  tablePlace('customer_profiles', 'profile (customer_profiles)'),
  tablePlace('customer_sales', 'purchase history (customer_sales)'),
  tablePlace('customer_identifiers', 'identifier index (customer_identifiers)'),
  tablePlace('customer_consent_history', 'consent history (customer_consent_history)'),
  tablePlace('customer_segments', 'segment sent to tills (customer_segments)'),
  eventLogPlace,
  v1Place,
  salesPlace,
  tillsPlace,
];

async function knownStore(trx: HqDb, customerId: string): Promise<string | undefined> {
  const { rows } = await sql<{ store_id: string | null }>`
    SELECT coalesce(
      (SELECT registered_store_id FROM customer_profiles WHERE customer_id = ${customerId}),
      (SELECT store_id FROM events WHERE payload->>'customerId' = ${customerId} ORDER BY occurred_at LIMIT 1)
    ) AS store_id`.execute(trx);
  return rows[0]?.store_id ?? undefined;
}

export async function eraseCustomer(
  db: HqDb,
  append: AppendCustomerEvents,
  customerId: string,
  opts: { places?: readonly CustomerDataPlace[]; at?: Date } = {},
): Promise<ErasureReport> {
  const at = (opts.at ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    // One erasure at a time per customer: a second waits and then finds it done.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`customer-erase:${customerId}`}))`.execute(trx);
    const already = await isErased(trx, customerId);
    const storeId = already ? undefined : await knownStore(trx, customerId);
    if (!already && storeId === undefined) throw notFound(`customer ${customerId}`, 'customerId');
    const places: PlaceReport[] = [];
    for (const p of [...customerOwnPlaces, ...(opts.places ?? [])])
      places.push(await p.erase(trx, customerId));
    if (!already)
      await append(trx, [
        {
          storeId: storeId!,
          type: CUSTOMER_EVENT_TYPES.customerErased,
          payload: customerErasedSchema.parse({ customerId, at }),
        },
      ]);
    return { customerId, alreadyErased: already, erasedAt: at, places };
  });
}

/** The ids erased after a catalog version (all when undefined), for tills to forget. */
export async function erasedCustomerIds(db: HqDb, afterVersion: number | undefined): Promise<string[]> {
  // Past the snapshot's own top is harmless: forgetting an id twice changes nothing at the till.
  return (await catalogChangesSince(db, 'erased_customer', afterVersion ?? 0, Number.MAX_SAFE_INTEGER))
    .changed;
}
