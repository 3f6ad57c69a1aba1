import { getStore } from '../../catalog/hq/index.ts';
import { conflict, invalid, newId } from '../../core/index.ts';
import { INVENTORY_EVENT_TYPES, type StockCounted } from '../events.ts';
import { type InventoryDeps, inTransaction, nowOf } from './availability.ts';
import { inventoryDb } from './inventory-tables.ts';
import { applyInventoryProjection, lockLevels } from './stock-projection.ts';

export interface CountRequest {
  storeId: string;
  /** full: every SKU of the store, uncounted ones count as zero; cycle: only the SKUs counted. */
  kind: 'full' | 'cycle';
  /** When counting began; the ledger is compared as it stood then. Defaults to now. */
  freezeAt?: string;
  /** Counted quantities; the same SKU twice (two shelves) adds up. */
  lines: readonly { sku: string; countedQty: number }[];
  countId?: string;
  /** Work out the variance without booking it. */
  dryRun?: boolean;
}

export interface CountResult {
  countId: string;
  storeId: string;
  kind: 'full' | 'cycle';
  freezeAt: string;
  posted: boolean;
  lines: (StockCounted['lines'][number] & { valueMinor: number })[];
  /** Value at cost of the units found missing (positive number). */
  shrinkValueMinor: number;
  gainValueMinor: number;
}

/**
 * Compares counted quantities with the ledger as it stood at the freeze time, so sales rung up while
 * the shelves were being counted do not show as variance, and books the variance: losses as
 * shrinkage valued at the moving-average cost, gains as found stock.
 */
export async function postCount(deps: InventoryDeps, req: CountRequest): Promise<CountResult> {
  await getStore(deps.db, req.storeId);
  const now = nowOf(deps);
  const freezeAt = req.freezeAt ? new Date(req.freezeAt) : now;
  if (Number.isNaN(freezeAt.getTime())) throw invalid('freezeAt', 'not a date-time');
  if (freezeAt > now) throw invalid('freezeAt', 'must not be in the future');
  if (req.kind === 'cycle' && req.lines.length === 0) throw invalid('lines', 'a cycle count needs lines');
  const counted = new Map<string, number>();
  for (const l of req.lines) counted.set(l.sku, (counted.get(l.sku) ?? 0) + l.countedQty);
  const countId = req.countId ?? newId();

  return inTransaction(deps.db, async (trx) => {
    const db = inventoryDb(trx);
    if (await db.selectFrom('inventory_counts').select('id').where('id', '=', countId).executeTakeFirst())
      throw conflict(`count ${countId} is posted already`, 'countId');
    let expectedQ = db
      .selectFrom('inventory_movements')
      .select(['sku', (eb) => eb.fn.sum<number>('on_hand').as('qty')])
      .where('store_id', '=', req.storeId)
      .where('occurred_at', '<=', freezeAt)
      .groupBy('sku');
    if (req.kind === 'cycle') expectedQ = expectedQ.where('sku', 'in', [...counted.keys()]);
    const expected = new Map((await expectedQ.execute()).map((r) => [r.sku, Number(r.qty)]));
    const skus = [...new Set([...counted.keys(), ...(req.kind === 'full' ? expected.keys() : [])])].sort();
    const levels = await lockLevels(
      db,
      skus.map((sku) => ({ storeId: req.storeId, sku })),
    );
    const lines = skus
      .map((sku) => {
        const countedQty = counted.get(sku) ?? 0;
        const expectedQty = expected.get(sku) ?? 0;
        const unitCostMinor = levels.get(`${req.storeId}\u0000${sku}`)?.avgCostMinor ?? 0;
        const variance = countedQty - expectedQty;
        return {
          sku,
          countedQty,
          expectedQty,
          variance,
          unitCostMinor,
          valueMinor: variance * unitCostMinor,
        };
      })
      .filter((l) => l.expectedQty !== 0 || l.countedQty !== 0);
    const result: CountResult = {
      countId,
      storeId: req.storeId,
      kind: req.kind,
      freezeAt: freezeAt.toISOString(),
      posted: !req.dryRun,
      lines,
      shrinkValueMinor: lines.reduce((s, l) => s + Math.max(-l.valueMinor, 0), 0),
      gainValueMinor: lines.reduce((s, l) => s + Math.max(l.valueMinor, 0), 0),
    };
    if (req.dryRun) return result;
    const events = await deps.append(trx, [
      {
        storeId: req.storeId,
        type: INVENTORY_EVENT_TYPES.stockCounted,
        payload: {
          countId,
          kind: req.kind,
          freezeAt: result.freezeAt,
          lines: lines.map(({ valueMinor: _v, ...l }) => l),
        },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return result;
  });
}
