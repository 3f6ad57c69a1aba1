import { z } from 'zod';
import { eventEnvelopeSchema } from '../core/index.ts';
import { TILL_PERMISSIONS } from './permissions.ts';

/**
 * The contract between a till and HQ. Both sides import these schemas; nothing else crosses the wire.
 *
 * Till → HQ:  POST /api/v1/ingest        body: IngestBatch as gzip JSON (Content-Encoding: gzip)
 *             Authorization: Bearer <terminal token>
 * HQ → till:  GET  /api/v1/terminal/catalog?since=<cursor>   → CatalogSnapshot
 * Enrollment: POST /api/v1/terminals      Authorization: Bearer <admin token>, body: EnrollRequest
 */

export const ingestBatchSchema = z.object({
  terminalId: z.string().min(1),
  /**
   * Events oldest first; a batch may repeat events HQ already holds (they are acknowledged again).
   * HQ bounds the count (its `maxEventsPerBatch`, 1,000 by default; more is a 413 naming `events`) and
   * the unpacked size (`maxBatchBytes`, 4 MiB): the till sends 500 at a time. One batch per terminal is
   * stored at a time; a second one sent meanwhile gets 429 with Retry-After.
   */
  events: z.array(eventEnvelopeSchema).min(1),
  /**
   * The till's outbox as it was when this batch left, this batch's events included: HQ subtracts the
   * batch's events it now holds, so a till that sent everything shows nothing unsent and no lag.
   */
  outbox: z
    .object({ pending: z.number().int().nonnegative(), oldestAgeSeconds: z.number().nonnegative() })
    .optional(),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const seqRangeSchema = z.object({
  from: z.number().int().positive(),
  to: z.number().int().positive(),
});
export type SeqRange = z.infer<typeof seqRangeSchema>;

export const ingestResultSchema = z.object({
  /** Newly stored events. */
  accepted: z.number().int().nonnegative(),
  /** Events HQ already held: acknowledged, not stored again. */
  duplicates: z.number().int().nonnegative(),
  /**
   * Events refused, each with the reason. `kind` says what the till may do about it:
   * - `quarantined`: the event broke HQ's rules (bad text, impossible amount, arithmetic that does not
   *   add up). HQ keeps it in its quarantine, listed for head office, and counts its seq as held, so the
   *   till moves on and later sales still arrive.
   * - `conflict`: HQ holds another event under this seq (a till whose ledger went back in time), or the
   *   same id with different content. HQ records both in its conflicts list but does not hold this one:
   *   the till must never move its mark over it, and stops sending until someone resolves it.
   * A rejection without `kind` (an older HQ) is a conflict.
   */
  rejected: z.array(
    z.object({
      id: z.string(),
      seq: z.number().int(),
      reason: z.string(),
      kind: z.enum(['quarantined', 'conflict']).optional(),
    }),
  ),
  /**
   * HQ holds an event (in its log or its quarantine) for every seq ≤ heldUpTo of this terminal: the
   * till may stop resending them. It says nothing about whether the event held is the till's: after a
   * till's ledger went back in time, HQ holds the old events under the reused seqs and heldUpTo passes
   * them, while each new event under such a seq comes back in `rejected` with `kind: 'conflict'`. A till
   * must therefore never move its mark over a seq rejected as a conflict, whatever heldUpTo says.
   */
  heldUpTo: z.number().int().nonnegative(),
  /** Sequence ranges HQ has not seen although later ones have arrived. */
  gaps: z.array(seqRangeSchema),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;

export const catalogProductSchema = z.object({
  sku: z.string().min(1),
  name: z.string().min(1),
  /** Normalised GTIN-13/14 or another barcode, if the product has one. */
  barcodes: z.array(z.string()),
  priceMinor: z.number().int().nonnegative(),
  taxRateBp: z.number().int().nonnegative(),
  active: z.boolean(),
  // Optional, added when tills priced with the full engine; an older HQ omits them.
  /** The product's category and its ancestors, nearest first: category promotions and tax classes. */
  categoryIds: z.array(z.string()).optional(),
  /** Groups for mix and match: the parent of a variant (every size of a shirt is one group). */
  productGroupIds: z.array(z.string()).optional(),
  /** kg and l are sold by weight or volume: the price is per kg (per l) and the scale gives the amount. */
  unit: z.enum(['each', 'kg', 'l', 'pack']).optional(),
  /** The product's tax class, charged as the store's jurisdiction defines it; absent: by category or rate. */
  taxClass: z.string().optional(),
});
export type CatalogProduct = z.infer<typeof catalogProductSchema>;

export const storeInfoSchema = z.object({
  storeId: z.string().min(1),
  name: z.string(),
  address: z.string(),
  currency: z.string().length(3),
  timeZone: z.string(),
  taxInclusive: z.boolean(),
  /** BCP 47 ("de-DE"): how the store's tills and screens write dates, times and amounts; absent = its time zone's usual locale (contracts/locale.ts). */
  locale: z.string().min(2).max(35).optional(),
});
export type StoreInfo = z.infer<typeof storeInfoSchema>;

/**
 * A pricebook entry as tills receive it (see src/catalog/pricebook.ts): the price in force and the
 * scheduled ones, so a till prices correctly from the moment a change takes effect, even offline.
 */
export const priceEntrySchema = z.object({
  id: z.number().int(),
  sku: z.string().min(1),
  scope: z.enum(['chain', 'zone', 'store']),
  scopeId: z.string(),
  priceMinor: z.number().int().nonnegative(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable().optional(),
});
export type PriceEntryWire = z.infer<typeof priceEntrySchema>;

/**
 * A person who may act at a till of this store, as HQ sends them with the catalog so sign-in works
 * offline: their till code (what they type), name, the till permissions they hold at this store, the
 * hash of their PIN (src/core/pin-hash.ts) and whether they are active.
 */
export const tillUserWireSchema = z.object({
  userId: z.string().min(1).max(64),
  code: z.string().regex(/^\d{3,8}$/),
  name: z.string().max(200),
  permissions: z.array(z.enum(TILL_PERMISSIONS)),
  pinHash: z.string().max(300),
  active: z.boolean(),
});
export type TillUserWire = z.infer<typeof tillUserWireSchema>;

/**
 * One customer of the store as HQ tells its tills after a change: their current segment (the RFM
 * segment name the scorer writes, "at risk"; null when they have none) and their consents, each with the
 * time of its latest change, so a till keeps its own later change made offline (the latest by its own
 * time wins, as at HQ). Purposes a till does not know are ignored there.
 */
export const tillCustomerChangeSchema = z.object({
  customerId: z.string().max(64),
  segment: z.string().max(64).nullable(),
  consents: z.array(z.object({ purpose: z.string().max(40), granted: z.boolean(), at: z.string().max(40) })),
});
export type TillCustomerChange = z.infer<typeof tillCustomerChangeSchema>;

/**
 * The store's customers changed after the till's customer cursor (`customersSince`), a page at a time:
 * the customers' cursor is its own (the same version sequence as the catalog's) so a long list (a first
 * pull, or the night a scoring run moves many customers) is paged without holding back the catalog.
 * `full`: the till's cursor was absent or not HQ's, so the till forgets the segments it held first;
 * `more`: pull again for the next page.
 */
export const tillCustomersDeltaSchema = z.object({
  cursor: z.string().max(80),
  full: z.boolean(),
  more: z.boolean(),
  changes: z.array(tillCustomerChangeSchema),
});
export type TillCustomersDelta = z.infer<typeof tillCustomersDeltaSchema>;

export const catalogSnapshotSchema = z.object({
  /** Opaque to the till: send it back as `since` to receive only what changed after it. */
  cursor: z.string(),
  /** True when `products` is the whole catalog (first pull, or a cursor HQ no longer knows). */
  full: z.boolean(),
  store: storeInfoSchema,
  products: z.array(catalogProductSchema),
  /** SKUs deleted since the cursor (a delta only): the till drops them and their barcodes. */
  removed: z.array(z.string()).optional(),
  // Optional, added with pricebooks; a till that does not know them ignores them.
  /** The store's price zone, if it has one. */
  zoneId: z.string().optional(),
  /** Pricebook entries of the products in `products`: they replace the till's entries for those SKUs. */
  prices: z.array(priceEntrySchema).optional(),
  /** When present, the whole active set (pricing-engine JSON), replacing the till's. */
  promotions: z.array(z.record(z.string(), z.unknown())).optional(),
  /** When present, the whole active set of tax jurisdictions (pricing-engine JSON), replacing the till's. */
  taxJurisdictions: z.array(z.record(z.string(), z.unknown())).optional(),
  /** When present, every user who may act at this store's tills, replacing the till's list. */
  tillUsers: z.array(tillUserWireSchema).optional(),
  /** When present, the chain's loyalty programme (contracts/loyalty.ts JSON), replacing the till's. */
  loyalty: z.record(z.string(), z.unknown()).optional(),
  /** Customers erased at HQ (after the cursor; all on a whole catalog): the till drops their row and key. */
  erasedCustomers: z.array(z.string().max(64)).optional(),
  /** The store's customers whose segment or consents changed after `customersSince` (a page of them). */
  customers: tillCustomersDeltaSchema.optional(),
});
export type CatalogSnapshot = z.infer<typeof catalogSnapshotSchema>;

export const enrollRequestSchema = z.object({
  storeId: z.string().min(1),
  terminalId: z.string().min(1).optional(),
  name: z.string().optional(),
});
export const enrollResponseSchema = z.object({
  terminalId: z.string(),
  storeId: z.string(),
  /** Shown once; HQ keeps only its hash. */
  token: z.string(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
