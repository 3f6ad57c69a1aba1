import { z } from 'zod';
import type { ShopLimits } from '../../core/index.ts';
import {
  tillCountInput,
  tillDeliveryInput,
  tillInventory,
  tillReceiveInput,
  tillShipInput,
} from '../../inventory/till/index.ts';
import type { Ledger } from '../../sync/index.ts';
import type { App } from '../shared/http.ts';
import { errors } from './api-schemas.ts';
import { codeText, limitedFields, nameText, requiredCode } from './edge-fields.ts';

/**
 * Stock work in the store: counts, transfers shipped and received, supplier deliveries. Each is written
 * to the till's ledger at once (no network needed) and reaches HQ with the next batch.
 */
const recorded = z.object({
  eventIds: z.array(z.string()),
  seq: z.number().int().describe('ledger seq of the last event written'),
});
const answer = (events: { id: string; seq: number }[]) => ({
  eventIds: events.map((e) => e.id),
  seq: events[events.length - 1]?.seq ?? 0,
});

/**
 * The bodies as the API takes them: the inventory module's inputs with every text safe to store and
 * every quantity and cost within the till's limits (the module then checks them as it always did).
 */
function inventoryBodies(limits: ShopLimits) {
  const f = limitedFields(limits);
  const ref = requiredCode();
  const line = z.object({ sku: requiredCode(), qty: f.stockQty() });
  return {
    count: tillCountInput.extend({
      countId: ref.optional(),
      lines: f.lines(z.object({ sku: requiredCode(), countedQty: f.stockQty().int().nonnegative() })),
    }),
    ship: tillShipInput.extend({
      toStoreId: requiredCode(),
      transferId: ref.optional(),
      lines: f.lines(line),
    }),
    receive: tillReceiveInput.extend({ fromStoreId: requiredCode(), lines: f.lines(line) }),
    delivery: tillDeliveryInput.extend({
      supplier: nameText().min(1, 'must not be empty'),
      reference: codeText().optional(),
      lines: f.lines(line.extend({ unitCostMinor: f.amount() })),
    }),
  };
}

export function registerTillInventoryRoutes(
  app: App,
  ledger: Ledger,
  now: () => Date,
  limits: ShopLimits,
): void {
  const inventory = tillInventory(ledger, now);
  const bodies = inventoryBodies(limits);
  const tags = ['inventory'];
  app.post(
    '/api/v1/inventory/counts',
    {
      schema: {
        tags,
        summary: 'Record a stock count (cycle: the SKUs counted; full: every SKU, uncounted ones as zero)',
        body: bodies.count,
        response: { 201: recorded, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(answer([inventory.count(req.body)])),
  );
  app.post(
    '/api/v1/inventory/transfers',
    {
      schema: {
        tags,
        summary: 'Ship stock to another store: it leaves on hand here and is in transit until received',
        body: bodies.ship,
        response: { 201: recorded, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(answer([inventory.ship(req.body)])),
  );
  app.post(
    '/api/v1/inventory/transfers/:transferId/receipts',
    {
      schema: {
        tags,
        summary: 'Book what arrived of a transfer from another store (final: close it)',
        params: z.object({ transferId: requiredCode() }),
        body: bodies.receive,
        response: { 201: recorded, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(answer([inventory.receive(req.params.transferId, req.body)])),
  );
  app.post(
    '/api/v1/inventory/deliveries',
    {
      schema: {
        tags,
        summary: 'Book a delivery from a supplier, with the cost per unit',
        body: bodies.delivery,
        response: { 201: recorded, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(answer(inventory.delivery(req.body))),
  );
}
