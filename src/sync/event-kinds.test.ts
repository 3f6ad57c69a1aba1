import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { composeEventRegistry } from './event-kinds.ts';

const noop = async (): Promise<void> => {};

describe('the event registry HQ is given', () => {
  it('knows the sale, stock, customer and payment events and projects stock, daily and hourly sales', () => {
    for (const type of ['sale.completed', 'stock.received', 'customer.created', 'payment.card_reversed'])
      expect(hqEventRegistry.kinds.has(type), type).toBe(true);
    const tables = hqEventRegistry.projections.flatMap((p) => p.tables);
    expect(tables).toEqual(expect.arrayContaining(['stock_on_hand', 'sales_daily', 'sales_hourly']));
  });

  it('refuses two modules claiming one event type, naming both', () => {
    const kind = { schemas: { 1: z.object({}) } };
    expect(() =>
      composeEventRegistry([
        { module: 'sales', kinds: { 'sale.completed': kind } },
        { module: 'loyalty', kinds: { 'sale.completed': kind } },
      ]),
    ).toThrow(/sale\.completed is contributed by both sales and loyalty/);
  });

  it('refuses two projections owning one table, so a rebuild cannot empty the other one’s rows', () => {
    expect(() =>
      composeEventRegistry([
        { module: 'sales', projections: [{ name: 'daily', tables: ['sales_daily'], apply: noop }] },
        { module: 'reports', projections: [{ name: 'copy', tables: ['sales_daily'], apply: noop }] },
      ]),
    ).toThrow(/table sales_daily is owned by both sales \(daily\) and reports/);
  });
});
