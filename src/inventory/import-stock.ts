import type { ImportPlan } from '../catalog/index.ts';
import { invalid } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { INVENTORY_EVENT_TYPES } from './events.ts';
import type { AppendEvents } from './hq/availability.ts';

/**
 * Per-location quantities in an export (Square's "Current Quantity <Location>", X-Series'
 * "inventory_<Outlet>") become stock at the stores the locations map to: an opening balance where HQ
 * holds none of the SKU there, else an adjustment by the difference, so a re-run changes nothing.
 */
export interface StockMovement {
  storeId: string;
  location: string;
  sku: string;
  /** What HQ holds now, and what the export says. */
  onHand: number;
  target: number;
  /** target − onHand: the receipt's or the adjustment's quantity. */
  qty: number;
  kind: 'opening_balance' | 'adjustment';
  unitCostMinor: number | undefined;
  file: string;
  row: number;
}

export interface StockPlan {
  movements: StockMovement[];
  /** SKU × location already at the export's figure. */
  unchanged: number;
  unmapped: { location: string; skus: number; units: number }[];
  /** Negative quantities in the export, counted as none on hand. */
  negative: { sku: string; location: string; qty: number; file: string; row: number }[];
}

export interface StoreRef {
  storeId: string;
  name: string;
}

/**
 * Which store each export location is: `--location "Main Street=S001"` first, else a store whose id
 * or name is the location's name (case and spacing aside). Unknown store ids are refused.
 */
export function mapLocations(
  locations: readonly string[],
  stores: readonly StoreRef[],
  explicit: Readonly<Record<string, string>>,
): Map<string, string> {
  const norm = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const ids = new Set(stores.map((s) => s.storeId));
  for (const [loc, id] of Object.entries(explicit))
    if (!ids.has(id)) throw invalid('--location', `"${loc}=${id}": HQ has no store ${id}`);
  const byKey = new Map<string, string>();
  for (const s of stores) {
    byKey.set(norm(s.storeId), s.storeId);
    byKey.set(norm(s.name), s.storeId);
  }
  const given = new Map(Object.entries(explicit).map(([k, v]) => [norm(k), v]));
  const out = new Map<string, string>();
  for (const loc of locations) {
    const id = given.get(norm(loc)) ?? byKey.get(norm(loc));
    if (id !== undefined) out.set(loc, id);
  }
  return out;
}

/** `["Main Street=S001"]` → `{ "Main Street": "S001" }`, naming the option on a malformed pair. */
export function parseLocationPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.lastIndexOf('=');
    if (i <= 0 || i === p.length - 1)
      throw invalid('--location', `"${p}" is not <export location>=<store id>`);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

/** Every location named in the plan's records, in first-seen order. */
export const stockLocations = (plan: ImportPlan): string[] => [
  ...new Set(plan.products.flatMap((p) => p.records.flatMap((r) => Object.keys(r.stock)))),
];

const key = (storeId: string, sku: string): string => `${storeId}\u0000${sku}`;

/** Pure: the movements that bring HQ's on-hand (`current`, by store and SKU) to the export's figures. */
export function planStock(
  plan: ImportPlan,
  locations: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, number>,
): StockPlan {
  const movements: StockMovement[] = [];
  const negative: StockPlan['negative'] = [];
  const unmapped = new Map<string, { skus: Set<string>; units: number }>();
  let unchanged = 0;
  for (const p of plan.products) {
    // Several files may give the same location's figure: the last file given wins, as for prices.
    const latest = new Map<string, { qty: number; file: string; row: number }>();
    for (const r of p.records)
      for (const [loc, qty] of Object.entries(r.stock)) latest.set(loc, { qty, file: r.file, row: r.row });
    const perStore = new Map<string, { location: string; qty: number; file: string; row: number }>();
    for (const [loc, s] of latest) {
      if (s.qty < 0) negative.push({ sku: p.sku, location: loc, qty: s.qty, file: s.file, row: s.row });
      const storeId = locations.get(loc);
      if (storeId === undefined) {
        const u = unmapped.get(loc) ?? { skus: new Set<string>(), units: 0 };
        u.skus.add(p.sku);
        u.units += Math.max(0, s.qty);
        unmapped.set(loc, u);
        continue;
      }
      const prev = perStore.get(storeId);
      // Two export locations mapped to one store add up.
      perStore.set(storeId, {
        location: prev ? `${prev.location} + ${loc}` : loc,
        qty: (prev?.qty ?? 0) + Math.max(0, s.qty),
        file: s.file,
        row: s.row,
      });
    }
    for (const [storeId, s] of perStore) {
      const held = current.get(key(storeId, p.sku));
      const onHand = held ?? 0;
      const qty = s.qty - onHand;
      if (qty === 0) {
        unchanged++;
        continue;
      }
      // An opening balance needs a positive quantity; a product HQ never stocked there starts with one.
      const kind = held === undefined && qty > 0 ? 'opening_balance' : 'adjustment';
      movements.push({
        storeId,
        location: s.location,
        sku: p.sku,
        onHand,
        target: s.qty,
        qty,
        kind,
        unitCostMinor: p.costMinor,
        file: s.file,
        row: s.row,
      });
    }
  }
  return {
    movements,
    unchanged,
    unmapped: [...unmapped].map(([location, u]) => ({ location, skus: u.skus.size, units: u.units })),
    negative,
  };
}

/** HQ's on-hand for these stores, keyed by store and SKU (rows HQ has, even at zero). */
export async function loadOnHand(db: HqDb, storeIds: readonly string[]): Promise<Map<string, number>> {
  if (storeIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('stock_on_hand')
    .select(['store_id', 'sku', 'qty'])
    .where('store_id', 'in', [...storeIds])
    .execute();
  return new Map(rows.map((r) => [key(r.store_id, r.sku), Number(r.qty)]));
}

/**
 * Writes the movements as HQ events (stock.received with reason opening_balance, or stock.adjusted
 * with reason correction), in chunks, each chunk one transaction; the projections follow from them.
 */
export async function applyStock(
  db: HqDb,
  stock: StockPlan,
  opts: {
    note: string;
    /** Writes the events to HQ's log (the HQ app passes sync's appendHqEvents with its registry). */
    append: AppendEvents;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{ events: number }> {
  const CHUNK = 2_000;
  let events = 0;
  for (let i = 0; i < stock.movements.length; i += CHUNK) {
    const chunk = stock.movements.slice(i, i + CHUNK);
    const drafts = chunk.map((m) =>
      m.kind === 'opening_balance'
        ? {
            storeId: m.storeId,
            type: INVENTORY_EVENT_TYPES.stockReceived,
            payload: {
              sku: m.sku,
              qty: m.qty,
              reason: 'opening_balance',
              ...(m.unitCostMinor !== undefined ? { unitCostMinor: m.unitCostMinor } : {}),
            },
          }
        : {
            storeId: m.storeId,
            type: INVENTORY_EVENT_TYPES.stockAdjusted,
            payload: { sku: m.sku, qty: m.qty, reason: 'correction', note: opts.note.slice(0, 500) },
          },
    );
    await db.transaction().execute((trx) => opts.append(trx, drafts));
    events += drafts.length;
    opts.onProgress?.(Math.min(i + CHUNK, stock.movements.length), stock.movements.length);
  }
  return { events };
}

/** The stock part of the summary: what --apply writes (or wrote), per store, and what it cannot place. */
export function formatStock(stock: StockPlan, opts: { applied: boolean; limit: number }): string {
  const out: string[] = [];
  const verb = opts.applied ? 'written' : 'to write';
  const byStore = new Map<string, { receipts: number; adjustments: number; units: number }>();
  for (const m of stock.movements) {
    const s = byStore.get(m.storeId) ?? { receipts: 0, adjustments: 0, units: 0 };
    if (m.kind === 'opening_balance') s.receipts++;
    else s.adjustments++;
    s.units += m.qty;
    byStore.set(m.storeId, s);
  }
  out.push(
    `stock ${verb}: ${stock.movements.length} movements (${stock.unchanged} already at the export's figure)`,
  );
  for (const [storeId, s] of [...byStore].sort(([a], [b]) => (a < b ? -1 : 1)))
    out.push(
      `  ${storeId}: ${s.receipts} opening balances, ${s.adjustments} adjustments, ${s.units >= 0 ? '+' : ''}${s.units} units`,
    );
  for (const m of stock.movements.slice(0, opts.limit))
    out.push(
      `    ${m.storeId} ${m.sku}: ${m.onHand} → ${m.target} (${m.kind === 'opening_balance' ? 'opening balance' : 'adjustment'} ${m.qty >= 0 ? '+' : ''}${m.qty}) from ${m.location}, ${m.file} row ${m.row}`,
    );
  if (stock.movements.length > opts.limit) out.push(`    … ${stock.movements.length - opts.limit} more`);
  for (const u of stock.unmapped)
    out.push(
      `  location "${u.location}" matches no store (${u.skus} SKUs, ${u.units} units skipped): add --location "${u.location}=<store id>"`,
    );
  for (const n of stock.negative.slice(0, opts.limit))
    out.push(
      `  negative quantity ${n.qty} for ${n.sku} at ${n.location} (${n.file} row ${n.row}) counted as 0`,
    );
  return out.join('\n');
}
