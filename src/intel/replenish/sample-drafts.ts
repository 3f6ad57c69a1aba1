/** Two small drafts (two suppliers, three lines) for the store and HQ route tests. */
import type { DraftOrder } from './drafts.ts';

export const sampleDrafts = (): DraftOrder[] => {
  const inputs = {
    model: 'ses',
    forecastFrom: '2026-03-01',
    forecastTo: '2026-03-28',
    serviceMeasure: 'fill-rate',
    serviceLevel: 0.95,
    leadDays: 7,
    reviewDays: 1,
    onHand: 3,
    onOrder: 0,
    packSize: 6,
    minOrder: 0,
    capacity: null,
    unitCostMinor: 120,
    orderCostMinor: 100,
    demandMean: 30.5,
    demandDispersion: 1.4,
    reorderPoint: 38,
    safetyStock: 7.5,
    eoq: 40.2,
    lot: 42,
    stockoutProb7: 0.99,
    daysOfCover: 0.7,
  };
  return [
    {
      supplierId: 'bakery',
      totalMinor: 42 * 120 + 12 * 200,
      lines: [
        {
          storeId: 'S1',
          sku: 'bread',
          seriesId: 'bread@S1',
          qty: 42,
          unitCostMinor: 120,
          inputs,
          reason: 'low',
        },
        {
          storeId: 'S2',
          sku: 'rolls',
          seriesId: 'rolls@S2',
          qty: 12,
          unitCostMinor: 200,
          inputs,
          reason: 'low',
        },
      ],
    },
    {
      supplierId: 'dairy',
      totalMinor: 24 * 80,
      lines: [
        {
          storeId: 'S1',
          sku: 'milk',
          seriesId: 'milk@S1',
          qty: 24,
          unitCostMinor: 80,
          inputs,
          reason: 'low',
        },
      ],
    },
  ];
};
