import type { SchemaMigration } from '../../../db/index.ts';
import { hq0006Dashboard } from './0006_dashboard.ts';
import { hq0011SalesBase } from './0011_sales_base.ts';

/** The HQ migrations the dashboard shipped: its people and hourly sales (0006), imported base figures (0011). */
export const reportsHqMigrations: readonly SchemaMigration[] = [hq0006Dashboard, hq0011SalesBase];
