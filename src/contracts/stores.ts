import { z } from 'zod';
import { storeInfoSchema } from './wire.ts';

/**
 * Setting up a store from head office (dashboard and `tally stores`): who it is, where, its clock and
 * money, the tax jurisdiction that governs it, and optionally its price zone and district. Browser safe.
 */
export const storeIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, "-" and "_" (at most 32), e.g. S007');

export const newStoreSchema = z.object({
  storeId: storeIdSchema,
  name: z.string().trim().min(1, 'give the store a name').max(200),
  address: z.string().trim().max(500).default(''),
  /** IANA, e.g. Europe/Berlin. */
  timeZone: z.string().trim().min(1, 'choose a time zone').max(64),
  /** ISO 4217, e.g. EUR. */
  currency: z.string().trim().min(1, 'choose a currency').max(8),
  taxInclusive: z.boolean(),
  locale: z.string().trim().min(2).max(35).optional(),
  /**
   * The tax jurisdiction that governs the store; the store is added to its storeIds. Absent only for a
   * chain that publishes no jurisdictions (products' own rates then apply, as before jurisdictions).
   */
  taxJurisdictionId: z.string().trim().min(1, 'choose the tax region').max(64).optional(),
  zoneId: z.string().trim().min(1).max(64).optional(),
  districtId: z.string().trim().min(1).max(64).optional(),
});
export type NewStore = z.input<typeof newStoreSchema>;

/** What may change after a store is open; time zone and currency stay (its sales are in them). */
export const storePatchSchema = z.object({
  name: z.string().trim().min(1, 'give the store a name').max(200).optional(),
  address: z.string().trim().max(500).optional(),
  /** null: follow the time zone's usual locale again. */
  locale: z.string().trim().min(2).max(35).nullable().optional(),
  /** null: no price zone. */
  zoneId: z.string().trim().min(1).max(64).nullable().optional(),
  taxJurisdictionId: z.string().trim().min(1).max(64).optional(),
});
export type StorePatch = z.infer<typeof storePatchSchema>;

/** A store as the back office shows it: its info, whether it set its own locale, its zone and tax region. */
export const storeSetupSchema = storeInfoSchema.extend({
  localeSet: z.boolean(),
  zoneId: z.string().nullable(),
  taxJurisdictionId: z.string().nullable(),
});
export type StoreSetup = z.infer<typeof storeSetupSchema>;

/** The choices the store form offers. */
export const storeChoicesSchema = z.object({
  zones: z.array(z.object({ id: z.string(), name: z.string() })),
  taxJurisdictions: z.array(z.object({ id: z.string(), name: z.string() })),
  districts: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type StoreChoices = z.infer<typeof storeChoicesSchema>;
