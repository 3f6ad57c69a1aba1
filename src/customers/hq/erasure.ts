import { sql } from 'kysely';
import { notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogChangesSince, redactEventFields } from '../../sync/hq/index.ts';
import { CUSTOMER_EVENT_TYPES, customerErasedSchema } from '../events.ts';
import { isErased } from './customer-keys.ts';
import type { AppendCustomerEvents } from './hq-customer-writes.ts';
import { canonicalCustomer, membersOf } from './merges.ts';

/**
 * Erasing a customer (right to be forgotten). The event log is permanent and chained, so erasure is
 * crypto-shredding: the data key is destroyed and the sealed fields in customer.created v2 stay as
 * unreadable ciphertext. Everything mutable that names the customer is removed, place by place: the
 * customers module's own tables, and whatever other modules register (`CustomerDataPlace`, passed by
 * the app: intel's scores, stored value's account links…). A customer.erased event carrying only the id
 * keeps a rebuild from bringing the profile back and tells tills (through the catalog pull) to drop
 * their copy. Sales and returns stay: their payloads hold no personal field, and the customerId on them
 * is kept as a random id that no longer leads to anyone.
 *
 * Erasure is of the person: asked for any profile of a merge group (the survivor or a profile merged
 * into it), it erases every profile of the group, each with its own key, identifiers, consents, points
 * and customer.erased event, and the report names each id with its places.
 */
export interface PlaceReport {
  /** The profile this line is about (each profile of a merged person has its own lines). */
  customerId?: string;
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
  /** The id asked for. */
  customerId: string;
  /** Every profile of the person that was erased now or before: the survivor first, then merged ones. */
  customerIds: string[];
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

/**
 * Points are the person's too: the account, its movements and exceptions go (movements naming sales
 * keep nothing personal, but they would let an erased id's points be read back). The loyalty projection
 * skips erased ids, so neither a late till event nor a replay opens the account again.
 */
const loyaltyPlace: CustomerDataPlace = {
  place: 'loyalty account and points (loyalty_accounts, loyalty_movements, loyalty_exceptions)',
  async erase(trx, customerId) {
    await sql`DELETE FROM loyalty_exceptions WHERE customer_id = ${customerId}`.execute(trx);
    const moves = await sql`DELETE FROM loyalty_movements WHERE customer_id = ${customerId}`.execute(trx);
    const acct = await sql`DELETE FROM loyalty_accounts WHERE customer_id = ${customerId}`.execute(trx);
    const n = Number(acct.numAffectedRows ?? 0);
    const m = Number(moves.numAffectedRows ?? 0);
    return {
      place: this.place,
      found: n,
      removed: n,
      ...(m > 0 ? { note: `${m} points movements removed with the account` } : {}),
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
  loyaltyPlace,
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
    // The merge lock first (as merges take it): the group cannot change while it is being erased.
    await sql`SELECT pg_advisory_xact_lock(hashtext('customer_merges'))`.execute(trx);
    // One erasure at a time per customer: a second waits and then finds it done.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`customer-erase:${customerId}`}))`.execute(trx);
    const members = await membersOf(trx, await canonicalCustomer(trx, customerId));
    const already = await isErased(trx, customerId);
    if (!already && (await knownStore(trx, customerId)) === undefined)
      throw notFound(`customer ${customerId}`, 'customerId');
    const places: PlaceReport[] = [];
    const drafts: Parameters<AppendCustomerEvents>[1][number][] = [];
    for (const id of members) {
      const erasedBefore = await isErased(trx, id);
      const storeId = erasedBefore ? undefined : await knownStore(trx, id);
      for (const p of [...customerOwnPlaces, ...(opts.places ?? [])])
        places.push({ customerId: id, ...(await p.erase(trx, id)) });
      if (storeId !== undefined)
        drafts.push({
          storeId,
          type: CUSTOMER_EVENT_TYPES.customerErased,
          payload: customerErasedSchema.parse({ customerId: id, at }),
        });
    }
    if (drafts.length > 0) await append(trx, drafts);
    const customerIds = [...new Set(places.map((p) => p.customerId!))];
    return { customerId, customerIds, alreadyErased: already, erasedAt: at, places };
  });
}

/** The ids erased after a catalog version (all when undefined), for tills to forget. */
export async function erasedCustomerIds(db: HqDb, afterVersion: number | undefined): Promise<string[]> {
  // Past the snapshot's own top is harmless: forgetting an id twice changes nothing at the till.
  return (await catalogChangesSince(db, 'erased_customer', afterVersion ?? 0, Number.MAX_SAFE_INTEGER))
    .changed;
}
