import { sql } from 'kysely';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { Projection } from '../../sync/index.ts';
import {
  type Consents,
  consentChangedSchema,
  customerCreatedV1Schema,
  customerCreatedV2Schema,
  customerErasedSchema,
  CUSTOMER_EVENT_TYPES as T,
} from '../events.ts';
import { CUSTOMER_MERGE_EVENT_TYPES as M } from '../merge-events.ts';
import { applyMergeEvent } from './merges.ts';
import { openWhenKeyed, writePersonalFields } from './personal-index.ts';

/**
 * The HQ customer profile, projected from customer events and from the sales events that name a
 * customer. Sales are read by their payload's fields (saleId, customerId, grossMinor, currency), not
 * through sales' schemas: customers sits above sales in the layer order. An erased customer stays
 * erased on replay: everything after the erasure about them is skipped, and the erasure itself deletes
 * what came before.
 */
export const CUSTOMER_PROFILE_TABLES = [
  'customer_profiles',
  'customer_sales',
  'customer_identifiers',
  'customer_consent_history',
  'customer_erasures',
  'customer_merges',
] as const;

const SALE_COMPLETED = 'sale.completed';
const SALE_RETURNED = 'sale.returned';

async function erased(trx: HqDb, customerId: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM customer_erasures WHERE customer_id = ${customerId}`.execute(trx);
  return rows.length > 0;
}

/** The profile row, made bare when a sale or a consent arrives before the registration. */
const ensureProfile = (trx: HqDb, customerId: string) =>
  sql`INSERT INTO customer_profiles (customer_id) VALUES (${customerId}) ON CONFLICT DO NOTHING`.execute(trx);

async function created(trx: HqDb, e: EventEnvelope): Promise<void> {
  if (e.schemaVersion === 1) {
    const p = customerCreatedV1Schema.parse(e.payload);
    if (await erased(trx, p.customerId)) return;
    const consents: Consents = {
      marketing_email: p.marketingConsent,
      marketing_sms: p.marketingConsent,
      analytics: false,
    };
    await registration(trx, p.customerId, e.storeId, e.occurredAt, 1, null, consents);
    await writePersonalFields(trx, p.customerId, { phone: p.phone, email: p.email, name: p.name });
    return;
  }
  const p = customerCreatedV2Schema.parse(e.payload);
  if (await erased(trx, p.customerId)) return;
  await registration(trx, p.customerId, p.storeId ?? e.storeId, p.at, 2, p.pii, p.consents);
  await openWhenKeyed(trx, p.customerId);
}

async function registration(
  trx: HqDb,
  customerId: string,
  storeId: string,
  at: string,
  version: number,
  sealed: unknown,
  consents: Consents,
): Promise<void> {
  // Consents changed before the registration arrived (another till's) win over the ones it carries.
  await sql`INSERT INTO customer_profiles (customer_id, registered_store_id, registered_at, schema_version, sealed_pii, consents)
    VALUES (${customerId}, ${storeId}, ${at}, ${version}, ${sealed === null ? null : JSON.stringify(sealed)}::jsonb, ${JSON.stringify(consents)}::jsonb)
    ON CONFLICT (customer_id) DO UPDATE SET registered_store_id = excluded.registered_store_id,
      registered_at = excluded.registered_at, schema_version = excluded.schema_version,
      sealed_pii = excluded.sealed_pii,
      consents = excluded.consents || coalesce((
        SELECT jsonb_object_agg(h.purpose, h.granted ORDER BY h.at) FROM customer_consent_history h
        WHERE h.customer_id = excluded.customer_id AND h.at >= excluded.registered_at), '{}'::jsonb)`.execute(
    trx,
  );
}

async function consentChanged(trx: HqDb, e: EventEnvelope): Promise<void> {
  const p = consentChangedSchema.parse(e.payload);
  if (await erased(trx, p.customerId)) return;
  await ensureProfile(trx, p.customerId);
  await sql`INSERT INTO customer_consent_history (event_id, customer_id, purpose, granted, at, channel, store_id, actor)
    VALUES (${e.id}, ${p.customerId}, ${p.purpose}, ${p.granted}, ${p.at}, ${p.channel}, ${p.storeId ?? e.storeId}, ${p.actor ?? e.actor ?? null})
    ON CONFLICT DO NOTHING`.execute(trx);
  // The latest change by its own time wins, whatever order tills' batches arrive in.
  await sql`UPDATE customer_profiles SET consents = consents || jsonb_build_object(${p.purpose}::text, (
      SELECT h.granted FROM customer_consent_history h WHERE h.customer_id = ${p.customerId} AND h.purpose = ${p.purpose}
      ORDER BY h.at DESC, h.event_id DESC LIMIT 1))
    WHERE customer_id = ${p.customerId}`.execute(trx);
}

/** Deletes everything the projection holds on the customer, and the key: what erasure means at HQ. */
export async function forgetCustomer(
  trx: HqDb,
  customerId: string,
  at: string,
  eventId: string,
): Promise<void> {
  for (const t of [
    'customer_profiles',
    'customer_sales',
    'customer_identifiers',
    'customer_consent_history',
    'customer_keys',
  ])
    await sql`DELETE FROM ${sql.table(t)} WHERE customer_id = ${customerId}`.execute(trx);
  // The erased profile leaves every merge: profiles merged into it stand on their own again.
  await sql`DELETE FROM customer_merges WHERE merged_id = ${customerId} OR survivor_id = ${customerId}`.execute(
    trx,
  );
  await sql`INSERT INTO customer_erasures (customer_id, erased_at, event_id) VALUES (${customerId}, ${at}, ${eventId})
    ON CONFLICT DO NOTHING`.execute(trx);
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);

async function sale(trx: HqDb, e: EventEnvelope): Promise<void> {
  const customerId = e.payload.customerId;
  if (typeof customerId !== 'string' || (await erased(trx, customerId))) return;
  await ensureProfile(trx, customerId);
  if (typeof e.payload.saleId === 'string')
    await sql`INSERT INTO customer_sales (sale_id, customer_id, store_id, at)
      VALUES (${e.payload.saleId}, ${customerId}, ${e.storeId}, ${e.occurredAt}) ON CONFLICT DO NOTHING`.execute(
      trx,
    );
  const currency = typeof e.payload.currency === 'string' ? e.payload.currency : null;
  // Spend is summed in the customer's first currency; a sale in another still counts as a purchase.
  await sql`UPDATE customer_profiles SET
      purchase_count = purchase_count + 1,
      currency = coalesce(currency, ${currency}),
      spend_minor = spend_minor + CASE WHEN coalesce(currency, ${currency}) = ${currency} THEN ${num(e.payload.grossMinor)}::bigint ELSE 0 END,
      first_purchase_at = least(first_purchase_at, ${e.occurredAt}::timestamptz),
      last_purchase_at = greatest(last_purchase_at, ${e.occurredAt}::timestamptz),
      stores_visited = CASE WHEN ${e.storeId} = ANY(stores_visited) THEN stores_visited
        ELSE array_append(stores_visited, ${e.storeId}) END
    WHERE customer_id = ${customerId}`.execute(trx);
}

async function saleReturned(trx: HqDb, e: EventEnvelope): Promise<void> {
  const saleId = e.payload.originalSaleId;
  if (typeof saleId !== 'string') return;
  const { rows } = await sql<{ customer_id: string | null }>`
    SELECT customer_id FROM customer_sales WHERE sale_id = ${saleId}`.execute(trx);
  const customerId = rows[0]?.customer_id;
  if (!customerId || (await erased(trx, customerId))) return;
  const totals = e.payload.totals as Record<string, unknown> | undefined;
  await sql`UPDATE customer_profiles SET return_count = return_count + 1,
      refund_minor = refund_minor + ${num(totals?.grossMinor)}::bigint
    WHERE customer_id = ${customerId}`.execute(trx);
}

export async function applyCustomerProfiles(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  for (const e of events) {
    if (e.type === T.customerCreated) await created(trx, e);
    else if (e.type === T.consentChanged) await consentChanged(trx, e);
    else if (e.type === T.customerErased) {
      const p = customerErasedSchema.parse(e.payload);
      await forgetCustomer(trx, p.customerId, p.at, e.id);
    } else if (e.type === SALE_COMPLETED) await sale(trx, e);
    else if (e.type === SALE_RETURNED) await saleReturned(trx, e);
    else if (e.type === M.customerMerged || e.type === M.customerUnmerged) await applyMergeEvent(trx, e);
  }
}

export const customerProfileProjection: Projection = {
  name: 'customer profiles',
  tables: CUSTOMER_PROFILE_TABLES,
  apply: applyCustomerProfiles,
};
