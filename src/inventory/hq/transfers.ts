import { getStore } from '../../catalog/hq/index.ts';
import { conflict, invalid, newId, notFound } from '../../core/index.ts';
import { INVENTORY_EVENT_TYPES, type StockLine } from '../events.ts';
import { mergeLines, sortKeys } from '../keys.ts';
import { type InventoryDeps, inTransaction, liveReserved, nowOf } from './availability.ts';
import { type InventoryDb, inventoryDb } from './inventory-tables.ts';
import { applyInventoryProjection, lockLevels } from './stock-projection.ts';

export interface TransferLine {
  sku: string;
  shipped: number;
  received: number;
  inTransit: number;
  /** Received minus shipped once the transfer is closed (negative: units lost on the way); else null. */
  discrepancy: number | null;
}

export interface Transfer {
  transferId: string;
  fromStoreId: string;
  toStoreId: string;
  closed: boolean;
  lines: TransferLine[];
}

/**
 * Ships stock from one store to another: the units leave the source's on-hand (only what is not
 * reserved may go) and are in transit at both ends until received.
 */
export async function shipTransfer(
  deps: InventoryDeps,
  req: { fromStoreId: string; toStoreId: string; lines: readonly StockLine[]; transferId?: string },
): Promise<Transfer> {
  if (req.fromStoreId === req.toStoreId) throw invalid('toStoreId', 'must differ from fromStoreId');
  if (req.lines.length === 0) throw invalid('lines', 'at least one line');
  await getStore(deps.db, req.fromStoreId);
  await getStore(deps.db, req.toStoreId);
  const lines = mergeLines(req.lines);
  const id = req.transferId ?? newId();
  return inTransaction(deps.db, async (trx) => {
    const db = inventoryDb(trx);
    const keys = lines.flatMap((l) => [
      { storeId: req.fromStoreId, sku: l.sku },
      { storeId: req.toStoreId, sku: l.sku },
    ]);
    const levels = await lockLevels(db, sortKeys(keys));
    if (await db.selectFrom('inventory_transfers').select('id').where('id', '=', id).executeTakeFirst())
      throw conflict(`transfer ${id} exists already`, 'transferId');
    const reserved = await liveReserved(
      db,
      req.fromStoreId,
      lines.map((l) => l.sku),
      nowOf(deps),
    );
    lines.forEach((l, i) => {
      const onHand = levels.get(`${req.fromStoreId}\u0000${l.sku}`)?.onHand ?? 0;
      const available = onHand - (reserved.get(l.sku) ?? 0);
      if (available < l.qty)
        throw conflict(
          `only ${Math.max(available, 0)} of ${l.sku} can leave ${req.fromStoreId}`,
          `lines.${i}.qty`,
        );
    });
    const events = await deps.append(trx, [
      {
        storeId: req.fromStoreId,
        type: INVENTORY_EVENT_TYPES.transferShipped,
        payload: { transferId: id, toStoreId: req.toStoreId, lines },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return readTransfer(db, id);
  });
}

/**
 * Books what arrived at the destination; several partial receipts may follow one shipment. `final`
 * closes the transfer: whatever is still in transit stops being so and shows as a discrepancy.
 */
export async function receiveTransfer(
  deps: InventoryDeps,
  transferId: string,
  req: { lines: readonly { sku: string; qty: number }[]; final?: boolean },
): Promise<Transfer> {
  return inTransaction(deps.db, async (trx) => {
    const db = inventoryDb(trx);
    const t = await db
      .selectFrom('inventory_transfers')
      .selectAll()
      .where('id', '=', transferId)
      .executeTakeFirst();
    if (!t) throw notFound(`transfer ${transferId}`, 'transferId');
    if (t.closed) throw conflict(`transfer ${transferId} is closed`, 'transferId');
    const lines = mergeLines(req.lines.filter((l) => l.qty > 0));
    if (lines.length === 0 && !req.final) throw invalid('lines', 'at least one line with a quantity');
    const known = await db
      .selectFrom('inventory_transfer_lines')
      .select('sku')
      .where('transfer_id', '=', transferId)
      .execute();
    const skus = [...new Set([...known.map((k) => k.sku), ...lines.map((l) => l.sku)])];
    await lockLevels(
      db,
      sortKeys(
        skus.flatMap((sku) => [
          { storeId: t.from_store_id, sku },
          { storeId: t.to_store_id, sku },
        ]),
      ),
    );
    const events = await deps.append(trx, [
      {
        storeId: t.to_store_id,
        type: INVENTORY_EVENT_TYPES.transferReceived,
        payload: { transferId, fromStoreId: t.from_store_id, lines, final: req.final ?? false },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return readTransfer(db, transferId);
  });
}

export async function getTransfer(deps: InventoryDeps, transferId: string): Promise<Transfer> {
  return readTransfer(inventoryDb(deps.db), transferId);
}

async function readTransfer(db: InventoryDb, id: string): Promise<Transfer> {
  const t = await db.selectFrom('inventory_transfers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw notFound(`transfer ${id}`, 'transferId');
  const lines = await db
    .selectFrom('inventory_transfer_lines')
    .selectAll()
    .where('transfer_id', '=', id)
    .orderBy('sku')
    .execute();
  return {
    transferId: t.id,
    fromStoreId: t.from_store_id,
    toStoreId: t.to_store_id,
    closed: t.closed,
    lines: lines.map((l) => ({
      sku: l.sku,
      shipped: l.shipped,
      received: l.received,
      inTransit: t.closed ? 0 : Math.max(l.shipped - l.received, 0),
      discrepancy: t.closed ? l.received - l.shipped : null,
    })),
  };
}
