import { getStore } from '../../catalog/hq/index.ts';
import { conflict, invalid } from '../../core/index.ts';
import { INVENTORY_EVENT_TYPES, type StockAdjusted, type StockWrittenOff } from '../events.ts';
import { sortKeys } from '../keys.ts';
import { type InventoryDeps, inTransaction, lockedAvailability, nowOf } from './availability.ts';
import { inventoryDb } from './inventory-tables.ts';
import { applyInventoryProjection, lockLevels } from './stock-projection.ts';

export interface SupplierReceipt {
  storeId: string;
  supplier: string;
  reference?: string;
  lines: readonly { sku: string; qty: number; unitCostMinor: number }[];
}

/** Books a delivery from a supplier: on hand goes up and each line's cost moves the average cost. */
export async function receiveFromSupplier(
  deps: InventoryDeps,
  req: SupplierReceipt,
): Promise<{ events: number }> {
  if (req.lines.length === 0) throw invalid('lines', 'at least one line');
  await getStore(deps.db, req.storeId);
  return inTransaction(deps.db, async (trx) => {
    await lockLevels(
      inventoryDb(trx),
      sortKeys(req.lines.map((l) => ({ storeId: req.storeId, sku: l.sku }))),
    );
    const events = await deps.append(
      trx,
      req.lines.map((l) => ({
        storeId: req.storeId,
        type: INVENTORY_EVENT_TYPES.stockReceived,
        payload: {
          sku: l.sku,
          qty: l.qty,
          reason: 'delivery',
          unitCostMinor: l.unitCostMinor,
          supplier: req.supplier,
          ...(req.reference ? { reference: req.reference } : {}),
        },
      })),
    );
    await applyInventoryProjection(trx, events);
    return { events: events.length };
  });
}

/**
 * A correction with its reason (not shrinkage: that is a write-off). A decrease may not take more than
 * is available, so an adjustment never eats into units held for an order.
 */
export async function adjustStock(
  deps: InventoryDeps,
  req: { storeId: string } & StockAdjusted,
): Promise<{ onHand: number }> {
  await getStore(deps.db, req.storeId);
  return inTransaction(deps.db, async (trx) => {
    const db = inventoryDb(trx);
    await lockLevels(db, [{ storeId: req.storeId, sku: req.sku }]);
    const a = (await lockedAvailability(db, req.storeId, [req.sku], nowOf(deps))).get(req.sku);
    if (req.qty < 0 && (a?.available ?? 0) + req.qty < 0)
      throw conflict(`only ${Math.max(a?.available ?? 0, 0)} of ${req.sku} available to adjust down`, 'qty');
    const events = await deps.append(trx, [
      {
        storeId: req.storeId,
        type: INVENTORY_EVENT_TYPES.stockAdjusted,
        payload: { sku: req.sku, qty: req.qty, reason: req.reason, ...(req.note ? { note: req.note } : {}) },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return { onHand: (a?.onHand ?? 0) + req.qty };
  });
}

/** Writes units off as shrinkage, valued at the moving-average cost carried now. */
export async function writeOffStock(
  deps: InventoryDeps,
  req: { storeId: string } & Omit<StockWrittenOff, 'unitCostMinor'>,
): Promise<{ onHand: number; valueMinor: number }> {
  await getStore(deps.db, req.storeId);
  return inTransaction(deps.db, async (trx) => {
    const db = inventoryDb(trx);
    await lockLevels(db, [{ storeId: req.storeId, sku: req.sku }]);
    const a = (await lockedAvailability(db, req.storeId, [req.sku], nowOf(deps))).get(req.sku);
    if ((a?.available ?? 0) < req.qty)
      throw conflict(`only ${Math.max(a?.available ?? 0, 0)} of ${req.sku} available to write off`, 'qty');
    const unitCostMinor = a?.avgCostMinor ?? 0;
    const events = await deps.append(trx, [
      {
        storeId: req.storeId,
        type: INVENTORY_EVENT_TYPES.stockWrittenOff,
        payload: {
          sku: req.sku,
          qty: req.qty,
          reason: req.reason,
          unitCostMinor,
          ...(req.note ? { note: req.note } : {}),
        },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return { onHand: (a?.onHand ?? 0) - req.qty, valueMinor: req.qty * unitCostMinor };
  });
}
