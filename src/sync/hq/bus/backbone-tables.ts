import type { ColumnType, Generated } from 'kysely';
import type { HqDb } from '../../../db/index.ts';

type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;

/**
 * Kysely types of the tables migration 0003 adds, joined onto HQ's schema with `withTables` so they
 * stay beside the module that owns them.
 */
export type BackboneTables = {
  events: { pos: Generated<number> };
  bus_outbox: { pos: Generated<number>; event_id: string };
  projected_events: { event_id: string };
  sync_daily: {
    store_id: string;
    day: string;
    batches: Int8;
    events: Int8;
    bytes: Int8;
  };
  catalog_changes: { entity: string; key: string; version: Int8; deleted: boolean };
};

/** HQ's database (or transaction) seen with the backbone's tables. */
export const backboneDb = (db: HqDb) => db.withTables<BackboneTables>();
