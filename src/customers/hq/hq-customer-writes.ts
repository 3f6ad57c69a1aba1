import { sql } from 'kysely';
import { conflict, type EventEnvelope, invalid, newId, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { LocalEventDraft } from '../../sync/hq/index.ts';
import { normalizeCardNumber, normalizeEmail, tillPhone } from '../customers.ts';
import {
  type ConsentPurpose,
  type Consents,
  CUSTOMER_CREATED_VERSION,
  CUSTOMER_EVENT_TYPES,
  consentChangedSchema,
  consentPurpose,
  customerCreatedV2Schema,
  NO_CONSENTS,
} from '../events.ts';
import { newDataKey, sealPii } from '../pii-crypto.ts';
import { customerErasedError, isErased, storeCustomerKey } from './customer-keys.ts';
import { countryOfStore } from './personal-index.ts';
import { findCustomerIds } from './profile-read.ts';

/** Appends HQ-made events and projects them (the app's appendToHqLog). */
export type AppendCustomerEvents = (db: HqDb, drafts: readonly LocalEventDraft[]) => Promise<EventEnvelope[]>;

export interface HqCustomerInput {
  storeId: string;
  phone?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  cardNumber?: string | undefined;
  consents?: Partial<Consents> | undefined;
}

/** A customer registered at HQ: the key is made here, stored first, then the sealed event appended. */
export async function createCustomerAtHq(
  db: HqDb,
  append: AppendCustomerEvents,
  input: HqCustomerInput,
  at: Date = new Date(),
): Promise<string> {
  // As a till registers them: E.164 read in the store's country (digits only without one).
  const country = await countryOfStore(db, input.storeId);
  const phone = input.phone ? tillPhone(input.phone, country) : undefined;
  const email = input.email ? normalizeEmail(input.email) : undefined;
  const cardNumber = input.cardNumber ? normalizeCardNumber(input.cardNumber) : undefined;
  if (!phone && !email) throw invalid('phone', 'a customer needs a phone number or an email address');
  const customerId = newId();
  const key = newDataKey();
  return db.transaction().execute(async (trx) => {
    for (const [kind, v] of [
      ['phone', phone],
      ['email', email],
      ['card', cardNumber],
    ] as const)
      if (v && (await findCustomerIds(trx, kind, v, { country })).length > 0)
        throw conflict(`a customer with this ${kind} exists`, kind === 'card' ? 'cardNumber' : kind);
    await storeCustomerKey(trx, customerId, key, 'hq');
    const payload = customerCreatedV2Schema.parse({
      customerId,
      storeId: input.storeId,
      pii: sealPii(key, customerId, { phone, email, name: input.name?.trim() || undefined, cardNumber }),
      consents: { ...NO_CONSENTS, ...(input.consents ?? {}) },
      at: at.toISOString(),
    });
    await append(trx, [
      {
        storeId: input.storeId,
        type: CUSTOMER_EVENT_TYPES.customerCreated,
        schemaVersion: CUSTOMER_CREATED_VERSION,
        payload,
      },
    ]);
    return customerId;
  });
}

/** Consent changed through HQ: a customer.consent_changed event under the customer's registering store. */
export async function changeConsentAtHq(
  db: HqDb,
  append: AppendCustomerEvents,
  change: { customerId: string; purpose: ConsentPurpose; granted: boolean; actor: string; storeId?: string },
  at: Date = new Date(),
): Promise<EventEnvelope> {
  const purpose = consentPurpose.parse(change.purpose);
  const run = async (trx: HqDb) => {
    if (await isErased(trx, change.customerId)) throw customerErasedError(change.customerId);
    const { rows } = await sql<{ registered_store_id: string | null }>`
      SELECT registered_store_id FROM customer_profiles WHERE customer_id = ${change.customerId}`.execute(
      trx,
    );
    const row = rows[0];
    if (!row) throw notFound(`customer ${change.customerId}`, 'customerId');
    const storeId = change.storeId ?? row.registered_store_id;
    if (!storeId) throw invalid('storeId', 'the customer has no registering store yet; name one');
    const payload = consentChangedSchema.parse({
      customerId: change.customerId,
      purpose,
      granted: change.granted,
      at: at.toISOString(),
      channel: 'hq',
      storeId,
      actor: change.actor.slice(0, 64),
    });
    const [e] = await append(trx, [{ storeId, type: CUSTOMER_EVENT_TYPES.consentChanged, payload }]);
    return e!;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
