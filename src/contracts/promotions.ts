/**
 * Promotion definitions as HQ writes them and tills receive them (JSON). One schema serves the
 * pricing engine (src/pricing re-exports it with its parser), HQ's routes and the dashboard's form,
 * which validates a draft in the browser with exactly what HQ will check.
 *
 * Money is integer minor units; percentages are basis points (1000 = 10 %). Zod only: browser-safe.
 */
import { z } from 'zod';

const id = z.string().min(1);
const minor = z.number().int().nonnegative();
const bp = z.number().int().min(1).max(10_000);
const count = z.number().int().positive();

/**
 * Which items a promotion looks at. An item matches when it matches any include list (or when
 * there are no include lists: "everything"), and no exclude list. Category ids match ancestors too,
 * because cart lines carry their whole category path.
 */
export const itemSelectorSchema = z.strictObject({
  skus: z.array(id).optional(),
  categoryIds: z.array(id).optional(),
  productGroupIds: z.array(id).optional(),
  excludeSkus: z.array(id).optional(),
  excludeCategoryIds: z.array(id).optional(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24 h)');
/** Local wall time in the store's zone ("2026-11-27", "2026-11-27T17:00") or an instant with offset. */
const moment = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/,
    'a date (2026-11-27), a local date-time (2026-11-27T17:00) or an instant (2026-11-27T16:00Z)',
  );
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A weekly window in the store's time zone; `end` before `start` runs past midnight (22:00–02:00). */
const timeWindowSchema = z
  .strictObject({ days: z.array(z.enum(weekdays)).min(1).optional(), start: hhmm, end: hhmm })
  .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] });

const scopeShape = {
  /** Absent: the whole chain. A store is in scope when it is listed or belongs to a listed zone. */
  locations: z
    .strictObject({
      storeIds: z.array(id).optional(),
      zoneIds: z.array(id).optional(),
      excludeStoreIds: z.array(id).optional(),
    })
    .optional(),
  /** Absent: every channel. */
  channels: z.array(id).min(1).optional(),
  /**
   * `from` is inclusive, `to` exclusive; a date-only `to` includes that whole day, as a poster that
   * says "until 7 December" means. Local values are read in the store's time zone, so one chain-wide
   * promotion starts at local midnight in every store.
   */
  schedule: z
    .strictObject({
      from: moment.optional(),
      to: moment.optional(),
      windows: z.array(timeWindowSchema).min(1).optional(),
    })
    .optional(),
  audience: z
    .strictObject({
      membersOnly: z.boolean().optional(),
      /** The customer must be in at least one of these segments. */
      segments: z.array(id).min(1).optional(),
    })
    .optional(),
  /** The promotion applies only when one of these codes was presented (case-insensitive). */
  couponCodes: z.array(z.string().min(1)).min(1).optional(),
  limits: z
    .strictObject({
      /** Uses (sales) across the chain; HQ keeps the count (a reservation as the sale completes). */
      total: count.optional(),
      /** Uses per identified customer; a promotion with this limit needs an identified customer. */
      perCustomer: count.optional(),
      /** Applications in one cart: units for per-unit kinds, sets for multi-unit kinds. */
      perCart: count.optional(),
      /**
       * Uses of each code in `couponCodes` (1: unique, single-use codes, as Shopify's and Square's
       * generated codes are): HQ reserves the code when the sale completes.
       */
      perCode: count.optional(),
      /**
       * Uses one till may give while HQ cannot be reached, until HQ answers it again. Default: 0 with
       * `perCode` (a single-use code is never spent offline), else 2. HQ counts them on ingest and
       * records an exception when they overran a limit.
       */
      offlinePerTill: z.number().int().nonnegative().optional(),
    })
    .optional(),
};

/**
 * standard: a unit it uses cannot feed another standard promotion; combines with others on other units.
 * stackable: applies on top of whatever else applied, on the amount still payable; consumes nothing.
 * exclusive: never combined with any other promotion in the cart.
 */
export const stackingSchema = z.enum(['standard', 'stackable', 'exclusive']);

const base = {
  id,
  name: z.string().min(1),
  /** Higher first: orders promotions of the same phase when they compete for units, and greedy search. */
  priority: z.number().int().default(0),
  stacking: stackingSchema.default('standard'),
  ...scopeShape,
};

const tierSchema = z
  .strictObject({
    minSpendMinor: minor,
    amountOffMinor: minor.positive().optional(),
    percentOffBp: bp.optional(),
  })
  .refine((t) => (t.amountOffMinor === undefined) !== (t.percentOffBp === undefined), {
    message: 'give exactly one of amountOffMinor or percentOffBp',
    path: ['amountOffMinor'],
  });

export const promotionSchema = z.discriminatedUnion('kind', [
  /** 20 % off an item, a category, a product group, or everything. */
  z.strictObject({ ...base, kind: z.literal('percentOff'), target: itemSelectorSchema, percentBp: bp }),
  /** 0.50 off each unit (never below zero). */
  z.strictObject({
    ...base,
    kind: z.literal('amountOff'),
    target: itemSelectorSchema,
    amountMinor: minor.positive(),
  }),
  /**
   * Each unit at this price (per measure base for weighed items: 9.99 per kg). Also how loyalty-member
   * and segment prices are written, with an `audience`.
   */
  z.strictObject({ ...base, kind: z.literal('fixedPrice'), target: itemSelectorSchema, priceMinor: minor }),
  /**
   * Buy `buy.qty`, get `get.qty` at `get.percentBp` off (10000 = free). Without `get.target` the same
   * items qualify for both: units are sorted most expensive first and taken in groups of buy+get, and
   * in each group the cheapest (or most expensive) `get.qty` units are discounted.
   */
  z.strictObject({
    ...base,
    kind: z.literal('buyXGetY'),
    buy: z.strictObject({ target: itemSelectorSchema, qty: count }),
    get: z.strictObject({ target: itemSelectorSchema.optional(), qty: count, percentBp: bp.default(10_000) }),
    applyTo: z.enum(['cheapest', 'mostExpensive']).default('cheapest'),
  }),
  /** "3 for 10.00" over the target; a product-group target makes it mix and match ("any 3 for 10"). */
  z.strictObject({
    ...base,
    kind: z.literal('multiBuy'),
    target: itemSelectorSchema,
    qty: z.number().int().min(2),
    priceMinor: minor,
  }),
  /** A meal deal: one (or `qty`) from each component for `priceMinor`. */
  z.strictObject({
    ...base,
    kind: z.literal('mixAndMatch'),
    components: z.array(z.strictObject({ target: itemSelectorSchema, qty: count.default(1) })).min(2),
    priceMinor: minor,
  }),
  /**
   * Spend thresholds on the qualifying items (all items without `target`): the best tier reached
   * applies, its discount spread over the qualifying lines. `basis: 'net'` (default) measures the spend
   * after item promotions, so a shopper cannot reach "spend 50" with money already taken off.
   */
  z.strictObject({
    ...base,
    kind: z.literal('spendThreshold'),
    target: itemSelectorSchema.optional(),
    basis: z.enum(['net', 'list']).default('net'),
    tiers: z.array(tierSchema).min(1),
  }),
  /** Percent or amount off the whole basket (or the target's lines), after item promotions. */
  z
    .strictObject({
      ...base,
      kind: z.literal('basketOff'),
      target: itemSelectorSchema.optional(),
      amountOffMinor: minor.positive().optional(),
      percentOffBp: bp.optional(),
    })
    .refine((b) => (b.amountOffMinor === undefined) !== (b.percentOffBp === undefined), {
      message: 'give exactly one of amountOffMinor or percentOffBp',
      path: ['amountOffMinor'],
    }),
]);

export type ItemSelector = z.output<typeof itemSelectorSchema>;
export type Promotion = z.output<typeof promotionSchema>;
export type PromotionInput = z.input<typeof promotionSchema>;
export type PromotionKind = Promotion['kind'];
export type Stacking = z.output<typeof stackingSchema>;

/** Kinds that need a set of units to trigger; they cannot stack because a set is claimed, not shared. */
export const groupedKinds: ReadonlySet<PromotionKind> = new Set(['buyXGetY', 'multiBuy', 'mixAndMatch']);
export const basketKinds: ReadonlySet<PromotionKind> = new Set(['spendThreshold', 'basketOff']);

export const promotionListSchema = z.array(promotionSchema).superRefine((ps, ctx) => {
  const seen = new Map<string, number>();
  ps.forEach((p, i) => {
    const first = seen.get(p.id);
    if (first !== undefined)
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate of promotions[${first}].id` });
    seen.set(p.id, i);
    if (p.stacking === 'stackable' && groupedKinds.has(p.kind))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'stacking'],
        message: `a ${p.kind} claims a set of units and cannot stack; use standard or exclusive`,
      });
  });
});
