import { enrollTerminal } from '../../src/access/terminals.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { createStore } from '../../src/catalog/hq/stores.ts';
import type { EnrollResponse } from '../../src/contracts/wire.ts';
import type { HqDb } from '../../src/db/hq-db.ts';
import { appendHqEvents } from '../../src/sync/hq/ingest-local.ts';

/** A Berlin store (EUR, prices with tax), named after its id unless told: what most HQ tests sell in. */
export const berlinStore = (storeId: string, name = storeId) => ({
  storeId,
  name,
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

/**
 * Berlin stores (S001 unless told) and the first store's till, `<store>-T01`, enrolled at HQ: where the
 * ingest, bus and route tests start.
 */
export async function storesWithTill(
  db: HqDb,
  storeIds: readonly string[] = ['S001'],
): Promise<EnrollResponse> {
  for (const storeId of storeIds) await createStore(db, berlinStore(storeId));
  const storeId = storeIds[0] ?? 'S001';
  return enrollTerminal(db, { storeId, terminalId: `${storeId}-T01` });
}
