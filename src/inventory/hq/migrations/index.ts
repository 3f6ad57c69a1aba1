import type { SchemaMigration } from '../../../db/index.ts';
import { hq0002Inventory } from './0002_inventory.ts';
import { hq0008InventoryTill } from './0008_inventory_till.ts';

/** The HQ tables inventory owns: the stock ledger (0002) and parked, valued till counts (0008). */
export const inventoryHqMigrations: readonly SchemaMigration[] = [hq0002Inventory, hq0008InventoryTill];
