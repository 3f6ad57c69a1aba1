import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends } from '../../test/helpers/hq-db.ts';
import { appendToHqLog } from '../apps/shared/event-registry.ts';
import { createStore } from '../catalog/hq/stores.ts';
import { applyPlan, loadExistingCatalog } from '../catalog/import/apply.ts';
import { consolidate, type ImportPlan } from '../catalog/import/consolidate.ts';
import { readExport } from '../catalog/import/read.ts';
import { singleClassPolicy } from '../catalog/import/tax-classes.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import {
  applyStock,
  formatStock,
  loadOnHand,
  mapLocations,
  parseLocationPairs,
  planStock,
  stockLocations,
} from './import-stock.ts';

const fixture = (name: string): string => join(import.meta.dirname, '../../test/fixtures/import', name);
const store = (storeId: string, name: string) => ({
  storeId,
  name,
  address: '',
  currency: 'USD',
  timeZone: 'America/New_York',
  taxInclusive: false,
});

describe.each(hqBackends())('per-location stock from a Square export on $name', ({ open }) => {
  let h: OpenHqDb;
  let plan: ImportPlan;
  beforeAll(async () => {
    h = await open();
    await createStore(h.db, store('S1', 'Main Street'));
    await createStore(h.db, store('S2', 'Harbour'));
    plan = consolidate([await readExport('square', fixture('square-item-library.csv'))], {
      existing: await loadExistingCatalog(h.db),
      tax: singleClassPolicy('standard', 800),
    });
  }, 180_000);
  afterAll(async () => {
    await h.close();
  });

  const onHand = async () =>
    Object.fromEntries(
      [...(await loadOnHand(h.db, ['S1', 'S2']))].map(([k, v]) => [k.replace('\u0000', ':'), v]),
    );

  it('maps locations by store name or --location, plans receipts in a dry run, writes them on apply, and a re-run writes nothing', async () => {
    const locations = stockLocations(plan);
    expect(locations).toEqual(['Main Street', 'Harbour Front']);
    const stores = [
      { storeId: 'S1', name: 'Main Street' },
      { storeId: 'S2', name: 'Harbour' },
    ];
    // Without a mapping, Harbour Front is reported, not guessed.
    const partial = planStock(plan, mapLocations(locations, stores, {}), new Map());
    expect(partial.unmapped).toEqual([{ location: 'Harbour Front', skus: 3, units: 22 }]);
    expect(formatStock(partial, { applied: false, limit: 5 })).toContain(
      'add --location "Harbour Front=<store id>"',
    );
    expect(() => mapLocations(locations, stores, parseLocationPairs(['Harbour Front=S9']))).toThrow(
      expect.objectContaining({ field: '--location' }),
    );
    expect(() => parseLocationPairs(['Harbour Front'])).toThrow(
      expect.objectContaining({ field: '--location' }),
    );

    const map = mapLocations(locations, stores, parseLocationPairs(['Harbour Front=S2']));
    const dry = planStock(plan, map, await loadOnHand(h.db, ['S1', 'S2']));
    const tee = dry.movements.filter((m) => m.sku === 'TEE-BLU-M');
    expect(tee.map((m) => [m.storeId, m.kind, m.qty, m.row])).toEqual([
      ['S1', 'opening_balance', 14, 2],
      ['S2', 'opening_balance', 6, 2],
    ]);
    // A zero in the export with nothing at HQ is already right.
    expect(dry.movements.some((m) => m.sku === 'CANDLE-S')).toBe(false);
    expect(formatStock(dry, { applied: false, limit: 50 })).toMatch(/stock to write: \d+ movements/);
    // The dry run wrote nothing.
    expect(await onHand()).toEqual({});

    await applyPlan(h.db, plan);
    const r = await applyStock(h.db, dry, {
      note: 'import of square-item-library.csv',
      append: appendToHqLog,
    });
    expect(r.events).toBe(dry.movements.length);
    const held = await onHand();
    expect(held).toMatchObject({ 'S1:TEE-BLU-M': 14, 'S2:TEE-BLU-M': 6, 'S1:CANDLE-L': 3, 'S2:CANDLE-L': 4 });

    const again = planStock(plan, map, await loadOnHand(h.db, ['S1', 'S2']));
    expect(again.movements).toEqual([]);
    expect(again.unchanged).toBe(dry.movements.length + dry.unchanged);

    // Stock moved at HQ since: the next import adjusts by the difference instead of adding it again.
    const moved = new Map(await loadOnHand(h.db, ['S1', 'S2']));
    moved.set('S1\u0000TEE-BLU-M', 10);
    const adjust = planStock(plan, map, moved);
    expect(adjust.movements).toEqual([
      expect.objectContaining({
        storeId: 'S1',
        sku: 'TEE-BLU-M',
        kind: 'adjustment',
        onHand: 10,
        target: 14,
        qty: 4,
      }),
    ]);
  });
});
