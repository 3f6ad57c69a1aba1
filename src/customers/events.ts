import { z } from 'zod';
import { safeText } from '../core/index.ts';
import type { EventContribution } from '../sync/index.ts';

/** A customer registered at the till; HQ merges profiles by phone and email. */
export const customerCreatedSchema = z.object({
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
export type CustomerCreated = z.infer<typeof customerCreatedSchema>;

export const CUSTOMER_EVENT_TYPES = { customerCreated: 'customer.created' } as const;

/** What customers tells HQ's event log: the till's customer events and their schemas. */
export const customerEvents: EventContribution = {
  module: 'customers',
  kinds: { [CUSTOMER_EVENT_TYPES.customerCreated]: { schemas: { 1: customerCreatedSchema } } },
};
