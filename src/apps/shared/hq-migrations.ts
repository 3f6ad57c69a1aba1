import {
  accessHqMigrations,
  auditHqMigrations,
  deviceHqMigrations,
  tillUserHqMigrations,
} from '../../access/index.ts';
import { catalogHqMigrations } from '../../catalog/hq/index.ts';
import { customersHqMigrations, loyaltyHqMigrations } from '../../customers/hq/index.ts';
import { hq0001Initial } from '../../db/hq/index.ts';
import { orderMigrations, type SchemaMigration } from '../../db/index.ts';
import { customerIntelHqMigrations } from '../../intel/customers/hq/index.ts';
import { forecastHqMigrations } from '../../intel/forecast/hq/index.ts';
import { replenishHqMigrations } from '../../intel/replenish/hq/index.ts';
import { inventoryHqMigrations } from '../../inventory/hq/index.ts';
import { reportsHqMigrations } from '../../reports/hq/index.ts';
import { storedValueHqMigrations } from '../../stored-value/hq/index.ts';
import { syncHqMigrations } from '../../sync/hq/index.ts';

/**
 * HQ's database schema, in the order it applies: each module keeps the migrations of the tables it owns
 * beside its code (`<module>/hq/migrations/`), and this is the one place that puts them together (db
 * sits below the modules and cannot). The base schema, which every module reads, is db's. A new
 * migration takes the next free number, lives in its module, and is frozen once released
 * (test/fixtures/migrations.sha256.json).
 */
export const hqMigrations: readonly SchemaMigration[] = orderMigrations('HQ', [
  [hq0001Initial],
  inventoryHqMigrations,
  syncHqMigrations,
  catalogHqMigrations,
  replenishHqMigrations,
  reportsHqMigrations,
  forecastHqMigrations,
  storedValueHqMigrations,
  accessHqMigrations,
  deviceHqMigrations,
  auditHqMigrations,
  tillUserHqMigrations,
  loyaltyHqMigrations,
  customersHqMigrations,
  customerIntelHqMigrations,
]);
