import { z } from 'zod';
import { safeText } from '../core/index.ts';
import type { EventContribution, Projection } from '../sync/index.ts';
import { customerMergeEventKinds } from './merge-events.ts';
import { sealedPiiSchema } from './pii-crypto.ts';

/**
 * Customer events. Version 1 of customer.created carried phone, email and name in clear into the
 * permanent log; version 2 carries them only sealed under the customer's data key (pii-crypto.ts), so
 * destroying the key erases them. HQ still reads version 1 (older tills, older logs).
 */
export const customerCreatedV1Schema = z.object({
  customerId: z.uuid(),
  phone: z
    .string()
    .regex(/^\+?\d{6,15}$/)
    .optional(),
  email: z.email().optional(),
  name: safeText('name').optional(),
  /** Whether the customer agreed to marketing messages, recorded with the time it was asked. */
  marketingConsent: z.boolean(),
  consentAt: safeText('code'),
});
export type CustomerCreatedV1 = z.infer<typeof customerCreatedV1Schema>;
/** @deprecated the plaintext version; tills write customerCreatedSchema (v2). */
export const customerCreatedSchema = customerCreatedV1Schema;

export const CONSENT_PURPOSES = ['marketing_email', 'marketing_sms', 'analytics'] as const;
export const consentPurpose = z.enum(CONSENT_PURPOSES);
export type ConsentPurpose = z.infer<typeof consentPurpose>;
export const consentsSchema = z.object({
  marketing_email: z.boolean(),
  marketing_sms: z.boolean(),
  analytics: z.boolean(),
});
export type Consents = z.infer<typeof consentsSchema>;
export const NO_CONSENTS: Consents = { marketing_email: false, marketing_sms: false, analytics: false };

const isoInstant = safeText('code').refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time');

/** Version 2: the personal fields sealed; consents per purpose as given at registration. */
export const customerCreatedV2Schema = z.object({
  customerId: z.uuid(),
  storeId: safeText('code').optional(),
  pii: sealedPiiSchema,
  consents: consentsSchema,
  at: isoInstant,
});
export type CustomerCreatedV2 = z.infer<typeof customerCreatedV2Schema>;

/** One purpose granted or withdrawn, at a till or at HQ, by whom. */
export const consentChangedSchema = z.object({
  customerId: z.uuid(),
  purpose: consentPurpose,
  granted: z.boolean(),
  at: isoInstant,
  channel: z.enum(['till', 'hq']),
  storeId: safeText('code').optional(),
  actor: safeText('code').optional(),
});
export type ConsentChanged = z.infer<typeof consentChangedSchema>;

/** A customer erased: only the id, nothing that could identify the person. */
export const customerErasedSchema = z.object({ customerId: z.uuid(), at: isoInstant });
export type CustomerErased = z.infer<typeof customerErasedSchema>;

export const CUSTOMER_EVENT_TYPES = {
  customerCreated: 'customer.created',
  consentChanged: 'customer.consent_changed',
  customerErased: 'customer.erased',
} as const;

/** customer.created's current version, which tills and HQ write. */
export const CUSTOMER_CREATED_VERSION = 2;

/** What customers tells HQ's event log: the event kinds and (given by hq/) the profile projection. */
export function customerEventContribution(projections: readonly Projection[] = []): EventContribution {
  return {
    module: 'customers',
    kinds: {
      [CUSTOMER_EVENT_TYPES.customerCreated]: {
        schemas: { 1: customerCreatedV1Schema, 2: customerCreatedV2Schema },
      },
      [CUSTOMER_EVENT_TYPES.consentChanged]: { schemas: { 1: consentChangedSchema } },
      [CUSTOMER_EVENT_TYPES.customerErased]: { schemas: { 1: customerErasedSchema } },
      // Written by HQ only (a reviewer's merge or unmerge), projected by hq/merges.ts.
      ...customerMergeEventKinds,
    },
    projections,
  };
}

/** The kinds alone (the till and tests that need no projection). */
export const customerEvents: EventContribution = customerEventContribution();
