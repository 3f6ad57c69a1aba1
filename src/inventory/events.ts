import { z } from 'zod';

/**
 * Stock movements recorded as events. HQ writes opening balances and deliveries under its own source
 * (`hq`), so on-hand stock is always the replay of the log and never a number typed into a table.
 */
export const stockReceivedSchema = z.object({
  sku: z.string().min(1),
  qty: z.number().int().positive(),
  reason: z.enum(['opening_balance', 'delivery', 'transfer_in']),
});
export type StockReceived = z.infer<typeof stockReceivedSchema>;

export const INVENTORY_EVENT_TYPES = {
  stockReceived: 'stock.received',
} as const;
