import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticatedTerminal } from '../../src/access/terminals.ts';
import { appendToHqLog, hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../../src/apps/shared/hq-migrations.ts';
import { isTallyError } from '../../src/core/errors.ts';
import { dropSchema, type OpenHqDb, openHqDb } from '../../src/db/hq-db.ts';
import {
  availability,
  confirmReservation,
  type InventoryDeps,
  receiveFromSupplier,
  releaseReservation,
  reserve,
} from '../../src/inventory/hq/index.ts';
import { ingestBatch } from '../../src/sync/hq/ingest.ts';
import { saleEvent } from '../fixtures/ingest.ts';
import { hqBackends, silentLogger } from '../helpers/hq-db.ts';
import { storesWithTill } from '../helpers/stores.ts';

const CLIENTS = 50;
const pgUrl = process.env.TALLY_TEST_PG_URL;

/** Each backend with a pool as wide as the crowd, so PostgreSQL really runs 50 transactions at once. */
const backends = [
  ...hqBackends().filter((b) => b.name === 'pglite'),
  ...(pgUrl
    ? [
        {
          name: 'postgres' as const,
          open: async (): Promise<OpenHqDb> => {
            const schema = `t_${randomBytes(6).toString('hex')}`;
            const opened = await openHqDb({
              migrations: hqMigrations,
              url: pgUrl,
              schema,
              logger: silentLogger,
              maxConnections: CLIENTS,
            });
            return {
              ...opened,
              close: async () => {
                await opened.close();
                await dropSchema(pgUrl, schema);
              },
            };
          },
        },
      ]
    : []),
];

/** Runs every attempt at once and sorts the outcomes into won and refused (409); anything else fails. */
async function race<T>(attempts: (() => Promise<T>)[]): Promise<{ won: T[]; refused: number }> {
  const settled = await Promise.allSettled(attempts.map((a) => a()));
  const won: T[] = [];
  let refused = 0;
  for (const s of settled) {
    if (s.status === 'fulfilled') won.push(s.value);
    else if (isTallyError(s.reason) && s.reason.status === 409) refused++;
    else throw s.reason;
  }
  return { won, refused };
}

describe.each(backends)('reservations under contention on $name', ({ name, open }) => {
  let h: OpenHqDb;
  let deps: InventoryDeps;
  let till: AuthenticatedTerminal;
  const stock = async (sku: string) => (await availability(h.db, { storeIds: ['S001'], sku }))[0];

  beforeAll(async () => {
    h = await open();
    till = await storesWithTill(h.db);
    deps = { db: h.db, append: appendToHqLog };
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`two clients for the last unit: exactly one wins, ${name === 'postgres' ? 20 : 5} times over`, async () => {
    const rounds = name === 'postgres' ? 20 : 5;
    for (let i = 0; i < rounds; i++) {
      const sku = `LAST-${i}`;
      await receiveFromSupplier(deps, {
        storeId: 'S001',
        supplier: 'Acme',
        lines: [{ sku, qty: 1, unitCostMinor: 10 }],
      });
      const { won, refused } = await race(
        [0, 1].map(() => () => reserve(deps, { storeId: 'S001', lines: [{ sku, qty: 1 }] })),
      );
      expect([won.length, refused]).toEqual([1, 1]);
      expect(await stock(sku)).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
    }
  });

  it(`${CLIENTS} clients on the last 7 units: exactly 7 win, while a till keeps selling`, async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [
        { sku: 'HOT', qty: 10, unitCostMinor: 10 },
        { sku: 'OTHER', qty: 10, unitCostMinor: 10 },
      ],
    });
    const sell = (seqs: number[], sku: string) =>
      ingestBatch(h.db, hqEventRegistry, till, {
        terminalId: till.terminalId,
        events: seqs.map((seq) =>
          saleEvent(till, seq, [{ sku, qty: 1, unitPriceMinor: 100, taxRateBp: 1900 }]),
        ),
      }).then(() => undefined);
    await sell([1, 2, 3], 'HOT');
    const attempts = Array.from(
      { length: CLIENTS },
      (_, i) => () =>
        reserve(deps, { storeId: 'S001', lines: [{ sku: 'HOT', qty: 1 }], orderId: `web-${i}` }),
    );
    // The till's sales of another SKU land in the middle of the crowd: they lock other rows only.
    const [result] = await Promise.all([race(attempts), sell([4, 5], 'OTHER')]);
    expect([result.won.length, result.refused]).toEqual([7, CLIENTS - 7]);
    expect(await stock('HOT')).toMatchObject({ onHand: 7, reserved: 7, available: 0 });
    expect(await stock('OTHER')).toMatchObject({ onHand: 8 });

    // Half confirm, half cancel, all at once: on hand drops by the confirmed ones only.
    const half = Math.floor(result.won.length / 2);
    await Promise.all(
      result.won.map((r, i) =>
        i < half ? confirmReservation(deps, r.reservationId) : releaseReservation(deps, r.reservationId),
      ),
    );
    expect(await stock('HOT')).toMatchObject({ onHand: 7 - half, reserved: 0, available: 7 - half });
  });

  it('a basket of several SKUs is held all or nothing, with no deadlock between opposite orders', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [
        { sku: 'X', qty: 5, unitCostMinor: 10 },
        { sku: 'Y', qty: 5, unitCostMinor: 10 },
      ],
    });
    const attempts = Array.from(
      { length: 20 },
      (_, i) => () =>
        reserve(deps, {
          storeId: 'S001',
          lines:
            i % 2 === 0
              ? [
                  { sku: 'X', qty: 1 },
                  { sku: 'Y', qty: 2 },
                ]
              : [
                  { sku: 'Y', qty: 2 },
                  { sku: 'X', qty: 1 },
                ],
        }),
    );
    const { won } = await race(attempts);
    // Y runs out first: two baskets fit (4 of 5 Y), a third would need 6.
    expect(won).toHaveLength(2);
    expect(await stock('X')).toMatchObject({ reserved: 2, available: 3 });
    expect(await stock('Y')).toMatchObject({ reserved: 4, available: 1 });
  });
});
