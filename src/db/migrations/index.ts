import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.ts';
import * as inventory from './0002_inventory.ts';
import * as backbone from './0003_backbone.ts';
import * as catalog from './0004_catalog.ts';
import * as replenish from './0005_replenish.ts';
import * as dashboard from './0006_dashboard.ts';
import * as forecasts from './0007_forecasts.ts';
import * as inventoryTill from './0008_inventory_till.ts';
import * as storedValue from './0009_stored_value.ts';
import * as calendarSuppliers from './0010_calendar_suppliers.ts';
import * as salesBase from './0011_sales_base.ts';
import * as syncIntegrity from './0012_sync_integrity.ts';
import * as onOrder from './0013_on_order.ts';

/**
 * HQ migrations, in code so they ship inside the bundle and run the same on PGlite and PostgreSQL.
 * Names sort in the order they apply; never edit one that has shipped, add the next.
 */
export const hqMigrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_inventory': inventory,
  '0003_backbone': backbone,
  '0004_catalog': catalog,
  '0005_replenish': replenish,
  '0006_dashboard': dashboard,
  '0007_forecasts': forecasts,
  '0008_inventory_till': inventoryTill,
  '0009_stored_value': storedValue,
  '0010_calendar_suppliers': calendarSuppliers,
  '0011_sales_base': salesBase,
  '0012_sync_integrity': syncIntegrity,
  '0013_on_order': onOrder,
};

export const hqMigrationProvider: MigrationProvider = {
  getMigrations: async () => hqMigrations,
};
