import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { createStore } from '../../src/catalog/hq/stores.ts';
import type { HqDb } from '../../src/db/hq-db.ts';
import { appendHqEvents } from '../../src/sync/hq/ingest-local.ts';

/** A Berlin store (EUR, prices with tax) named after its id: what most HQ tests sell in. */
export const berlinStore = (storeId: string) => ({
  storeId,
  name: storeId,
  address: '',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  taxInclusive: true,
});

export const TWO_STORES = ['S001', 'S002'] as const;

/**
 * Two Berlin stores (EUR, prices with tax) that each received the same stock at HQ: the setting of the
 * backbone and inventory end-to-end tests. `at` dates the receipt (default now).
 */
export async function twoStoresWithStock(
  db: HqDb,
  received: { sku: string; qty: number; reason: string } & Record<string, unknown>,
  at?: Date,
): Promise<void> {
  for (const storeId of TWO_STORES) await createStore(db, berlinStore(storeId));
  await appendHqEvents(
    db,
    hqEventRegistry,
    TWO_STORES.map((storeId) => ({ storeId, type: 'stock.received', payload: received })),
    at ? { at } : {},
  );
}
