/**
 * The dashboard's wire contract: every path, query and response the manager's screen uses, as zod
 * schemas with their inferred types. HQ validates its answers with these and the screen parses with the
 * same ones, so a change here is a change to both. Only additive changes: the screen may be older.
 *
 * Browser-safe on purpose: it imports zod and nothing else from the server.
 */
import { z } from 'zod';
import { sessionUser } from './access.ts';
import { API_BASE } from './api.ts';

export * from './access.ts';
export { API_BASE, type ErrorBody, errorBody } from './api.ts';

export const DASHBOARD_PATHS = {
  signIn: `${API_BASE}/auth/sign-in`,
  signOut: `${API_BASE}/auth/sign-out`,
  me: `${API_BASE}/auth/me`,
  scope: `${API_BASE}/dashboard/scope`,
  pace: `${API_BASE}/dashboard/ops/pace`,
  inventory: `${API_BASE}/dashboard/ops/inventory`,
  tills: `${API_BASE}/dashboard/ops/tills`,
  forecast: `${API_BASE}/dashboard/insights/forecast`,
  drill: `${API_BASE}/dashboard/insights/drill`,
  briefing: `${API_BASE}/dashboard/briefing`,
  promotions: `${API_BASE}/dashboard/insights/promotions`,
  /** Existing replenishment routes; with a session they are filtered to the user's stores. */
  drafts: `${API_BASE}/replenish/drafts`,
  /** The same drafts as a page that says how many there are (the screen's list). */
  draftList: `${API_BASE}/replenish/draft-list`,
} as const;

export const draftPath = (id: string): string => `${DASHBOARD_PATHS.drafts}/${encodeURIComponent(id)}`;
export const draftLinePath = (id: string, lineNo: number): string => `${draftPath(id)}/lines/${lineNo}`;
export const draftApprovePath = (id: string): string => `${draftPath(id)}/approve`;
export const draftRejectPath = (id: string): string => `${draftPath(id)}/reject`;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const isoDateTime = z.string().describe('ISO 8601 timestamp');
const minor = z.number().int().describe('money in minor units of `currency`');
/** Stock and demand may be fractional (goods sold by weight), so quantities are plain numbers. */
const qty = z.number();

// ---------------------------------------------------------------- shared pieces

/** Where a panel's numbers come from, so every figure can be traced to its query. */
export const source = z.object({
  tables: z.array(z.string()),
  /** Short human description of the query, e.g. "sum of sales_hourly by hour for S001 on 2025-06-03". */
  query: z.string(),
  /** The newest data the answer reflects (or when it was computed, if the data has no time). */
  asOf: isoDateTime,
});
export type Source = z.infer<typeof source>;

export const named = z.object({ id: z.string(), name: z.string() });
export type Named = z.infer<typeof named>;

/** `store` omitted = the whole scope (every store the user may see). */
export const storeQuery = z.object({ store: z.string().min(1).optional() });
export type StoreQuery = z.infer<typeof storeQuery>;

// ---------------------------------------------------------------- scope

export const scopeResponse = z.object({
  user: sessionUser,
  stores: z.array(named),
  categories: z.array(named),
  /** The store the screen opens on; null = whole scope (head office, district). */
  defaultStore: z.string().nullable(),
  canApprove: z.boolean(),
  currency: z.string(),
});
export type ScopeResponse = z.infer<typeof scopeResponse>;

// ---------------------------------------------------------------- operations: pace

export const paceQuery = storeQuery.extend({ date: isoDate.optional() });
export type PaceQuery = z.infer<typeof paceQuery>;

export const paceFigures = z.object({ revenueMinor: minor, units: qty, transactions: z.number().int() });
export type PaceFigures = z.infer<typeof paceFigures>;

export const paceTotals = paceFigures.extend({ avgBasketMinor: minor, marginMinor: minor });
export type PaceTotals = z.infer<typeof paceTotals>;

export const paceResponse = z.object({
  date: isoDate,
  storeId: z.string().nullable(),
  /** The days compared with: same weekday a week before and 364 days before (same weekday). */
  compare: z.object({
    lastWeek: isoDate,
    lastYear: isoDate,
    /**
     * While the day is still going, the store-local time ("06:00") up to which `totals` counts the
     * earlier days, so today so far meets the same hours of them; null = whole days compared.
     */
    through: z.string().nullable(),
  }),
  /** 0..23 in store-local time, every hour present (zeros where nothing sold). */
  hours: z.array(
    z.object({
      hour: z.number().int().min(0).max(23),
      today: paceFigures,
      lastWeek: paceFigures,
      lastYear: paceFigures,
    }),
  ),
  /** Today so far, and the earlier days up to the same local time (`compare.through`). */
  totals: z.object({ today: paceTotals, lastWeek: paceTotals, lastYear: paceTotals }),
  /** The earlier days' whole totals, for reference beside the like-for-like ones. */
  wholeDay: z.object({ lastWeek: paceTotals, lastYear: paceTotals }),
  currency: z.string(),
  source,
});
export type PaceResponse = z.infer<typeof paceResponse>;

// ---------------------------------------------------------------- operations: inventory

const stockRow = z.object({ storeId: z.string(), sku: z.string(), name: z.string() });

export const atRiskRow = stockRow.extend({
  available: qty,
  forecast7d: qty,
  /** available / daily forecast; null when the forecast is zero. */
  daysOfCover: z.number().nullable(),
});
export const slowMoverRow = stockRow.extend({
  onHand: qty,
  units28d: qty,
  daysOfCover: z.number().nullable(),
  valueAtCostMinor: minor,
});
export const deadStockRow = stockRow.extend({
  onHand: qty,
  /** null = never sold in the history HQ holds. */
  lastSoldOn: isoDate.nullable(),
  valueAtCostMinor: minor,
});
export const negativeRow = stockRow.extend({
  onHand: qty,
  /** When it went negative, when known. */
  since: isoDateTime.nullable(),
});
export type AtRiskRow = z.infer<typeof atRiskRow>;
export type SlowMoverRow = z.infer<typeof slowMoverRow>;
export type DeadStockRow = z.infer<typeof deadStockRow>;
export type NegativeRow = z.infer<typeof negativeRow>;

/** How long a capped list really is: `total` rows qualify, the answer holds the first ones. */
export const listCount = z.object({ total: z.number().int(), truncated: z.boolean() });
export type ListCount = z.infer<typeof listCount>;

export const inventoryResponse = z.object({
  /** Each list's true length: the lists carry at most their first 50 rows, most urgent first. */
  counts: z.object({ atRisk: listCount, slowMovers: listCount, deadStock: listCount, negative: listCount }),
  atRisk: z.array(atRiskRow),
  slowMovers: z.array(slowMoverRow),
  deadStock: z.array(deadStockRow),
  negative: z.array(negativeRow),
  valueAtCostMinor: minor,
  currency: z.string(),
  source,
});
export type InventoryResponse = z.infer<typeof inventoryResponse>;

// ---------------------------------------------------------------- operations: tills

export const tillTerminal = z.object({
  terminalId: z.string(),
  name: z.string().optional(),
  /** Events the terminal reported as not yet sent at its last contact; null = unknown. */
  unsent: z.number().int().nullable(),
  lastSyncAt: isoDateTime.nullable(),
  /**
   * How far behind HQ is on this till: the age now of the oldest event it reported unsent (0 when its
   * outbox was empty); null = the till never reported its outbox.
   */
  lagSeconds: z.number().nullable(),
  /** Events of this till HQ refused as conflicts (its ledger went back in time): its sync has stopped. */
  conflicts: z.number().int().default(0),
  /** Events of this till that broke HQ's rules: kept in HQ's quarantine for head office to look at. */
  quarantined: z.number().int().default(0),
});
export const cashDifference = z.object({
  zNumber: z.number().int(),
  terminalId: z.string().optional(),
  closedAt: isoDateTime,
  /** counted − expected: negative = short. */
  differenceMinor: minor,
});
export type TillTerminal = z.infer<typeof tillTerminal>;
export type CashDifference = z.infer<typeof cashDifference>;

export const tillsResponse = z.object({
  stores: z.array(
    z.object({
      storeId: z.string(),
      name: z.string(),
      terminals: z.array(tillTerminal),
      openShifts: z.number().int(),
      cashDifferences: z.array(cashDifference),
    }),
  ),
  currency: z.string(),
  source,
});
export type TillsResponse = z.infer<typeof tillsResponse>;

// ---------------------------------------------------------------- insights: forecast

/** Either sku or category (not both); store omitted = the chain total of that sku/category. */
export const forecastQuery = storeQuery.extend({
  sku: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
});
export type ForecastQuery = z.infer<typeof forecastQuery>;

export const seriesLevel = z.enum(['sku', 'category', 'store', 'chain']);
export type SeriesLevel = z.infer<typeof seriesLevel>;

export const forecastResponse = z.object({
  series: z.object({ level: seriesLevel, storeId: z.string(), key: z.string(), name: z.string() }),
  history: z.array(z.object({ date: isoDate, qty })),
  forecast: z.array(z.object({ date: isoDate, mean: qty, p10: qty, p50: qty, p90: qty })),
  trust: z.object({
    model: z.string(),
    /** Mean absolute error of the holdout backtest over the last 28 days, units a day. */
    maeUnitsPerDay: z.number().nullable(),
    /** Half the p10–p90 width of `forecast`, averaged over its first 7 days: the band's "±". */
    bandHalfWidth: z.number().nullable(),
    /** Both in words, each named: "80 % likely range (p10–p90) ±2.1 units a day …; mean absolute error … 2.5 units a day". */
    text: z.string(),
  }),
  run: z.object({ id: z.string(), finishedAt: isoDateTime.nullable(), trainedTo: isoDate.nullable() }),
  source,
});
export type ForecastResponse = z.infer<typeof forecastResponse>;

// ---------------------------------------------------------------- insights: drill-down

/** chain (no params) → stores; store → categories; store+category (or category alone) → SKUs. */
export const drillQuery = storeQuery.extend({ category: z.string().min(1).optional() });
export type DrillQuery = z.infer<typeof drillQuery>;

export const drillLevel = z.enum(['chain', 'store', 'category', 'sku']);
export type DrillLevel = z.infer<typeof drillLevel>;

export const drillRow = z.object({
  level: drillLevel,
  id: z.string(),
  name: z.string(),
  /** The query that opens this row's children; null at SKU level (open its forecast instead). */
  next: drillQuery.nullable(),
  units7d: qty,
  revenue7dMinor: minor,
  units28d: qty,
  revenue28dMinor: minor,
});
export type DrillRow = z.infer<typeof drillRow>;

export const drillResponse = z.object({
  /** The level being shown and the path to it, for breadcrumbs. */
  level: drillLevel,
  path: z.array(z.object({ level: drillLevel, id: z.string(), name: z.string(), query: drillQuery })),
  rows: z.array(drillRow),
  /** Last day counted in the 7- and 28-day windows. */
  through: isoDate,
  currency: z.string(),
  source,
});
export type DrillResponse = z.infer<typeof drillResponse>;

// ---------------------------------------------------------------- briefing

export const actionKind = z.enum(['stockout', 'overstock', 'deviation', 'sync', 'customers']);
export type ActionKind = z.infer<typeof actionKind>;

export const briefingAction = z.object({
  kind: actionKind,
  title: z.string(),
  detail: z.string(),
  /** The numbers behind the action, named (e.g. {available: 3, forecast7d: 14}). */
  numbers: z.record(z.string(), z.number()),
  /** A screen-relative link, e.g. "#/insights/forecast?store=S001&sku=..." or "#/ops/tills?store=S001". */
  link: z.string(),
});
export type BriefingAction = z.infer<typeof briefingAction>;

export const briefingResponse = z.object({
  date: isoDate,
  storeId: z.string().nullable(),
  /** At most five, most urgent first. */
  actions: z.array(briefingAction),
  text: z.string(),
  /** true when an LLM rephrased `text` (numbers checked against the template); false = the template. */
  rephrased: z.boolean(),
  source,
});
export type BriefingResponse = z.infer<typeof briefingResponse>;

// ---------------------------------------------------------------- drafts (existing /replenish/drafts)

export const draftStatus = z.enum(['draft', 'approved', 'rejected', 'superseded', 'cancelled']);
export type DraftStatus = z.infer<typeof draftStatus>;

export const draftSummary = z.object({
  id: z.string(),
  supplierId: z.string(),
  status: draftStatus,
  runId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  lines: z.number().int(),
  totalMinor: z.number().int(),
});
export type DraftSummary = z.infer<typeof draftSummary>;

export const draftListQuery = z.object({
  status: draftStatus.optional(),
  limit: z.coerce.number().int().positive().max(1000).optional(),
});
export type DraftListQuery = z.infer<typeof draftListQuery>;

/** Newest first, at most `limit`; `total` counts every draft the filter matches in your stores. */
export const draftListResponse = z.object({
  drafts: z.array(draftSummary),
  total: z.number().int(),
  truncated: z.boolean(),
});
export type DraftListResponse = z.infer<typeof draftListResponse>;

export const draftDetail = draftSummary.extend({
  policy: z.record(z.string(), z.unknown()),
  lineItems: z.array(
    z.object({
      lineNo: z.number().int(),
      storeId: z.string(),
      sku: z.string(),
      /** The product's name in the catalog (the SKU when the catalog no longer has it). */
      name: z.string(),
      seriesId: z.string(),
      qty: z.number().int(),
      suggestedQty: z.number().int(),
      unitCostMinor: z.number().int(),
      inputs: z.record(z.string(), z.unknown()),
      reason: z.string(),
      /** Units delivered against the line so far; the rest is on order while the order is approved. */
      receivedQty: z.number().int().optional(),
    }),
  ),
  decisions: z.array(
    z.object({
      action: z.string(),
      actor: z.string(),
      at: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type DraftDetail = z.infer<typeof draftDetail>;

/** With a session the actor is the signed-in user and these bodies carry no `actor`. */
export const draftEditBody = z.object({ qty: z.number().int().min(0) });
export const draftApproveBody = z.object({ note: z.string().max(2000).optional() });
export const draftRejectBody = z.object({ reason: z.string().max(2000).optional() });
export type DraftEditBody = z.infer<typeof draftEditBody>;
export type DraftApproveBody = z.infer<typeof draftApproveBody>;
export type DraftRejectBody = z.infer<typeof draftRejectBody>;

// ---------------------------------------------------------------- promotions

/**
 * Active and recently ended promotions: uses and discount in the stores asked for, units of the
 * products each discounted during it against the same number of store-local days just before it,
 * the chain-wide count HQ holds against `limits.total`, and offline uses that overran a limit.
 */
export const promotionPerformance = z.object({
  promotionId: z.string(),
  name: z.string(),
  kind: z.string(),
  active: z.boolean(),
  /** The store-local days compared: the promotion's days so far, and as many just before. */
  from: isoDate,
  to: isoDate,
  days: z.number().int(),
  uses: z.number().int(),
  discountMinor: minor,
  discountedUnits: qty,
  units: z.object({ during: qty, before: qty }),
  limitTotal: z.number().int().nullable(),
  /** Uses HQ counts against the limits across the chain (confirmed and reserved). */
  usedTotal: z.number().int(),
  exceptions: z.number().int(),
});
export type PromotionPerformance = z.infer<typeof promotionPerformance>;

export const promotionException = z.object({
  promotionId: z.string(),
  saleId: z.string(),
  storeId: z.string().nullable(),
  terminalId: z.string().nullable(),
  limitName: z.string(),
  overBy: z.number().int(),
  at: isoDateTime,
});

export const promotionsResponse = z.object({
  currency: z.string(),
  today: isoDate,
  promotions: z.array(promotionPerformance),
  exceptions: z.array(promotionException),
});
export type PromotionsResponse = z.infer<typeof promotionsResponse>;
