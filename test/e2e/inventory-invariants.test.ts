import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendToHqLog } from '../../src/apps/shared/event-registry.ts';
import { createStore } from '../../src/catalog/hq/stores.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { isTallyError } from '../../src/core/errors.ts';
import {
  availability,
  confirmReservation,
  type InventoryDeps,
  inventoryDb,
  receiveFromSupplier,
  releaseReservation,
  reserve,
  sweepExpiredReservations,
} from '../../src/inventory/hq/index.ts';
import { hqBackends, withHqDb } from '../helpers/hq-db.ts';

type Op =
  | { k: 'receive'; sku: string; qty: number }
  | { k: 'reserve'; sku: string; qty: number; ttl: number }
  | { k: 'confirm' | 'release'; pick: number }
  | { k: 'advance'; seconds: number }
  | { k: 'sweep' };

const sku = fc.constantFrom('A', 'B');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('receive' as const), sku, qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    k: fc.constant('reserve' as const),
    sku,
    qty: fc.integer({ min: 1, max: 3 }),
    ttl: fc.integer({ min: 1, max: 120 }),
  }),
  fc.record({ k: fc.constantFrom('confirm' as const, 'release' as const), pick: fc.nat() }),
  fc.record({ k: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 90 }) }),
  fc.record({ k: fc.constant('sweep' as const) }),
);

/** Refusals (409) are outcomes the model predicts too; anything else is a failure. */
const refusedOr = async <T>(p: Promise<T>): Promise<T | 'refused'> => {
  try {
    return await p;
  } catch (err) {
    if (isTallyError(err) && err.status === 409) return 'refused';
    throw err;
  }
};

// PGlite only: each run needs a fresh database, and a PGlite clone costs far less than a schema.
const pglite = hqBackends().filter((b) => b.name === 'pglite');

describe.each(pglite)('ledger invariants on $name', (backend) => {
  it('after any interleaving, levels are the sum of their movements and available never counts an expired hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) =>
        withHqDb(backend, async (h) => {
          await createStore(h.db, {
            storeId: 'S001',
            name: 'S001',
            address: '',
            currency: 'EUR',
            timeZone: 'UTC',
            taxInclusive: true,
          });
          const clock = fixedClock(new Date());
          const deps: InventoryDeps = { db: h.db, append: appendToHqLog, clock };
          // The model: what is on hand, and which holds are open with their expiry.
          const onHand = new Map<string, number>();
          const holds: { id: string; sku: string; qty: number; expiresAt: number; open: boolean }[] = [];
          const live = (s: string) =>
            holds
              .filter((r) => r.open && r.sku === s && r.expiresAt > clock.now().getTime())
              .reduce((a, r) => a + r.qty, 0);

          for (const o of ops) {
            if (o.k === 'receive') {
              await receiveFromSupplier(deps, {
                storeId: 'S001',
                supplier: 's',
                lines: [{ sku: o.sku, qty: o.qty, unitCostMinor: 10 }],
              });
              onHand.set(o.sku, (onHand.get(o.sku) ?? 0) + o.qty);
            } else if (o.k === 'reserve') {
              const fits = (onHand.get(o.sku) ?? 0) - live(o.sku) >= o.qty;
              const r = await refusedOr(
                reserve(deps, { storeId: 'S001', lines: [{ sku: o.sku, qty: o.qty }], ttlSeconds: o.ttl }),
              );
              expect(r === 'refused' ? 'refused' : 'held').toBe(fits ? 'held' : 'refused');
              if (r !== 'refused')
                holds.push({
                  id: r.reservationId,
                  sku: o.sku,
                  qty: o.qty,
                  expiresAt: new Date(r.expiresAt).getTime(),
                  open: true,
                });
            } else if (o.k === 'confirm' || o.k === 'release') {
              if (holds.length === 0) continue;
              const h0 = holds[o.pick % holds.length]!;
              const expired = h0.expiresAt <= clock.now().getTime();
              if (o.k === 'confirm') {
                const r = await refusedOr(confirmReservation(deps, h0.id));
                const confirmable = h0.open && !expired;
                const already = !h0.open && r !== 'refused';
                if (!already) expect(r === 'refused').toBe(!confirmable);
                if (confirmable) onHand.set(h0.sku, (onHand.get(h0.sku) ?? 0) - h0.qty);
              } else {
                await refusedOr(releaseReservation(deps, h0.id));
              }
              h0.open = false;
            } else if (o.k === 'advance') {
              clock.advance(o.seconds * 1000);
            } else {
              await sweepExpiredReservations(deps);
            }

            for (const s of ['A', 'B']) {
              const [a] = await availability(h.db, { storeIds: ['S001'], sku: s }, clock.now());
              const want = { onHand: onHand.get(s) ?? 0, reserved: live(s) };
              expect({ onHand: a?.onHand ?? 0, reserved: a?.reserved ?? 0 }).toEqual(want);
              expect(a?.available ?? 0).toBe(want.onHand - want.reserved);
            }
          }

          const db = inventoryDb(h.db);
          const levels = await db.selectFrom('stock_on_hand').select(['sku', 'qty', 'reserved']).execute();
          for (const l of levels) {
            const m = await db
              .selectFrom('inventory_movements')
              .select([
                (eb) => eb.fn.sum<number>('on_hand').as('q'),
                (eb) => eb.fn.sum<number>('reserved').as('r'),
              ])
              .where('sku', '=', l.sku)
              .executeTakeFirstOrThrow();
            expect([l.qty, l.reserved]).toEqual([Number(m.q ?? 0), Number(m.r ?? 0)]);
          }
        }),
      ),
      { numRuns: 8 },
    );
    // A fresh database per run on a shared 2-core machine: give the property room.
  }, 600_000);
});
