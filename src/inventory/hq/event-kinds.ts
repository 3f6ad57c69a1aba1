import type { EventContribution, EventKind } from '../../sync/index.ts';
import { inventoryPayloadSchemas } from '../events.ts';
import { INVENTORY_TABLES } from './inventory-tables.ts';
import { applyStockProjection } from './stock-projection.ts';
import { counterpartProblems } from './transfer-counterparts.ts';

/**
 * What inventory tells HQ's event log: its stock events with their schemas, the rule that a transfer
 * names a store HQ knows, and the stock ledger projection with the tables it owns.
 */
export const inventoryEvents: EventContribution = {
  module: 'inventory',
  kinds: Object.fromEntries(
    Object.entries(inventoryPayloadSchemas).map(([type, schemas]): [string, EventKind] => [
      type,
      { schemas },
    ]),
  ),
  projections: [{ name: 'stock ledger', tables: INVENTORY_TABLES, apply: applyStockProjection }],
  batchChecks: [counterpartProblems],
};
