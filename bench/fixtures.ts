import { createStore } from '../src/catalog/hq/index.ts';
import type { HqDb } from '../src/db/hq-db.ts';

/** The one store most benches need at HQ: S001, euro prices with tax included, Berlin time. */
export const createBenchStore = (db: HqDb): Promise<unknown> =>
  createStore(db, {
    storeId: 'S001',
    name: 'Bench',
    address: '',
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    taxInclusive: true,
  });
