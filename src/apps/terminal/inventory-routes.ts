import { z } from 'zod';
import {
  tillCountInput,
  tillDeliveryInput,
  tillInventory,
  tillReceiveInput,
  tillShipInput,
} from '../../inventory/till-events.ts';
import type { Ledger } from '../../sales/ledger.ts';
import type { App } from '../shared/http.ts';
import { errors } from './api-schemas.ts';

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

export function registerTillInventoryRoutes(app: App, ledger: Ledger, now: () => Date): void {
  const inventory = tillInventory(ledger, now);
  const tags = ['inventory'];
  app.post(
    '/api/v1/inventory/counts',
    {
      schema: {
        tags,
        summary: 'Record a stock count (cycle: the SKUs counted; full: every SKU, uncounted ones as zero)',
        body: tillCountInput,
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
        body: tillShipInput,
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
        params: z.object({ transferId: z.string().min(1) }),
        body: tillReceiveInput,
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
        body: tillDeliveryInput,
        response: { 201: recorded, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(answer(inventory.delivery(req.body))),
  );
}
