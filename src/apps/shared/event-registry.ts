import { customerHqEvents, loyaltyHqEvents } from '../../customers/hq/index.ts';
import type { AppendEvents } from '../../inventory/hq/index.ts';
import { inventoryEvents } from '../../inventory/hq/index.ts';
import { paymentPayloadSchemas } from '../../payments/index.ts';
import { reportsEvents } from '../../reports/index.ts';
import { salesEvents } from '../../sales/hq/index.ts';
import { appendHqEvents } from '../../sync/hq/index.ts';
import { composeEventRegistry, type EventRegistry } from '../../sync/index.ts';

/**
 * Every event type HQ understands and every projection built from its log, composed once from what each
 * module contributes, above all of them. HQ's start, its commands, the demo, benches and tests pass
 * this one object to ingest, rebuild and the bus; a new module adds its contribution here in one line.
 * Projections are applied in this order.
 */
export const hqEventRegistry: EventRegistry = composeEventRegistry([
  inventoryEvents,
  salesEvents,
  reportsEvents,
  customerHqEvents,
  loyaltyHqEvents,
  {
    module: 'payments',
    kinds: Object.fromEntries(
      Object.entries(paymentPayloadSchemas).map(([type, schemas]) => [type, { schemas }]),
    ),
  },
]);

/** Appends HQ-made events to the log and projects them with this registry: what inventory's commands are given. */
export const appendToHqLog: AppendEvents = (db, drafts) => appendHqEvents(db, hqEventRegistry, drafts);
