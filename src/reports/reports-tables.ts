import type { ColumnType } from 'kysely';
import type { HqDb } from '../db/index.ts';

type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;

/**
 * Kysely types of the dashboard's projection (migration 0006), joined onto HQ's schema with
 * `withTables` so only this module sees them.
 */
export type DashboardTables = {
  sales_hourly: {
    business_date: string;
    store_id: string;
    hour: number;
    transactions: Int8;
    units: Int8;
    net_minor: Int8;
    gross_minor: Int8;
    cost_minor: Int8;
    costed_net_minor: Int8;
  };
};

export const reportsDb = (db: HqDb) => db.withTables<DashboardTables>();
