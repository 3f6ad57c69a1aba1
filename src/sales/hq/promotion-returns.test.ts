import { describe, expect, it } from 'vitest';
import { returnEvent, saleEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../test/helpers/stores.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { savePromotions } from '../../catalog/hq/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { loadPromotions } from '../../reports/index.ts';
import { ingestBatch, rebuildProjections } from '../../sync/hq/index.ts';
import type { SaleCompleted } from '../events.ts';

const TILL = { storeId: 'S001', terminalId: 'S001-T01' };

/** Three cartons of milk with 0.20 off each (0.60 on the line) and a tea at full price. */
function promotedSale(seq: number): EventEnvelope<SaleCompleted> {
  const s = saleEvent(TILL, seq, [
    { sku: 'MILK', qty: 3, unitPriceMinor: 99, taxRateBp: 700 },
    { sku: 'TEA', qty: 1, unitPriceMinor: 450, taxRateBp: 700 },
  ]);
  const discount = {
    id: 'SPRING',
    reason: 'Spring milk',
    amountMinor: 60,
    basket: false,
    source: 'promotion' as const,
    promotionId: 'SPRING',
  };
  s.payload.lines[0] = { ...s.payload.lines[0]!, discounts: [discount] };
  s.payload.promotions = [{ promotionId: 'SPRING', name: 'Spring milk', kind: 'amountOff', amountMinor: 60 }];
  return s;
}

describe.each(hqBackends())('returns on the promotions panel on $name', ({ open }) => {
  const h = useHqDb(open);

  it('a returned carton takes its units and its share of the discount off; the whole sale back takes the use off too', async () => {
    const till = await storesWithTill(h.db, ['S001']);
    await savePromotions(h.db, [
      {
        id: 'SPRING',
        name: 'Spring milk',
        kind: 'amountOff',
        target: { skus: ['MILK'] },
        amountMinor: 20,
        schedule: { from: '2026-03-02', to: '2026-03-08' },
      },
    ]);
    const auth = { storeId: 'S001', terminalId: 'S001-T01', token: till.token } as never;
    const send = async (events: EventEnvelope[]) => {
      const r = await ingestBatch(h.db, hqEventRegistry, auth, { terminalId: TILL.terminalId, events });
      expect(r.rejected ?? []).toEqual([]);
    };
    const panel = async () =>
      (await loadPromotions(h.db, { stores: 'all', today: '2026-03-04', currency: 'EUR' })).promotions[0];

    const first = promotedSale(1);
    const second = promotedSale(2);
    await send([first, second]);
    expect(await panel()).toMatchObject({ uses: 2, discountMinor: 120, discountedUnits: 6 });

    // One carton of the first sale comes back the next day: 1 of 3 units, 0.20 of the 0.60.
    await send([returnEvent(first, 3, 1, 1, { businessDate: '2026-03-03' })]);
    expect(await panel()).toMatchObject({ uses: 2, discountMinor: 100, discountedUnits: 5 });
    // The rest of it, milk and tea: the whole sale is back, so is its use.
    await send([returnEvent(first, 4, 1, 2), returnEvent(first, 5, 2, 1)]);
    expect(await panel()).toMatchObject({ uses: 1, discountMinor: 60, discountedUnits: 3 });

    await rebuildProjections(h.db, hqEventRegistry);
    expect(await panel()).toMatchObject({ uses: 1, discountMinor: 60, discountedUnits: 3 });
  });
});
