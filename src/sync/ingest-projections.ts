import { sql } from 'kysely';
import type { z } from 'zod';
import type { EventEnvelope } from '../core/event.ts';
import type { HqDb } from '../db/hq-db.ts';
import { inventoryPayloadSchemas } from '../inventory/events.ts';
import { INVENTORY_TABLES } from '../inventory/schema.ts';
import { applyStockProjection } from '../inventory/stock-projection.ts';
import {
  cartLineVoidedSchema,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  SALES_EVENT_TYPES,
  saleCompletedSchema,
  saleReturnedSchema,
  saleVoidedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
} from '../sales/events.ts';
import { applySalesDailyProjection } from '../sales/facts-projection.ts';

/**
 * Payload schemas of the event types HQ understands, by type and schema version. Ingest refuses a
 * known type whose payload does not match, so projections never meet an event they cannot apply.
 * Types not listed are stored as they come (a newer till may know more) and projected by nobody.
 */
export const payloadSchemas: Record<string, Record<number, z.ZodType>> = {
  [SALES_EVENT_TYPES.saleCompleted]: { 1: saleCompletedSchema },
  [SALES_EVENT_TYPES.shiftOpened]: { 1: shiftOpenedSchema },
  [SALES_EVENT_TYPES.shiftClosed]: { 1: shiftClosedSchema },
  [SALES_EVENT_TYPES.saleReturned]: { 1: saleReturnedSchema },
  [SALES_EVENT_TYPES.cashDrop]: { 1: drawerCashDropSchema },
  [SALES_EVENT_TYPES.paidOut]: { 1: drawerPaidOutSchema },
  [SALES_EVENT_TYPES.noSale]: { 1: drawerNoSaleSchema },
  [SALES_EVENT_TYPES.cartLineVoided]: { 1: cartLineVoidedSchema },
  [SALES_EVENT_TYPES.saleVoided]: { 1: saleVoidedSchema },
  ...inventoryPayloadSchemas,
};

/** Every projection built from the log, with the tables it owns (emptied on rebuild). */
const projections: { tables: string[]; apply: typeof applyStockProjection }[] = [
  { tables: [...INVENTORY_TABLES], apply: applyStockProjection },
  { tables: ['sales_daily'], apply: applySalesDailyProjection },
];

/** Applies newly stored events to every projection, in the caller's transaction. */
export async function applyProjections(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  for (const p of projections) await p.apply(trx, events);
}

export interface RebuildProgress {
  done: number;
  total: number;
}

/**
 * Empties the projections and replays the whole event log into them, each terminal's events in seq
 * order, in chunks. Runs in one transaction that holds off ingest, so readers see either the old
 * numbers or the rebuilt ones and no event is applied twice or missed.
 */
export async function rebuildProjections(
  db: HqDb,
  opts: { chunkSize?: number; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildProgress> {
  const chunkSize = opts.chunkSize ?? 5_000;
  return db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE events IN SHARE MODE`.execute(trx);
    const tables = projections.flatMap((p) => p.tables);
    await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx);
    const { n: total } = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    let done = 0;
    let after: [string, number] | undefined;
    opts.onProgress?.({ done, total });
    for (;;) {
      let q = trx.selectFrom('events').selectAll();
      if (after) {
        const [t, s] = after;
        q = q.where((eb) => eb(eb.refTuple('terminal_id', 'seq'), '>', eb.tuple(t, s)));
      }
      const rows = await q.orderBy('terminal_id').orderBy('seq').limit(chunkSize).execute();
      if (rows.length === 0) break;
      await applyProjections(trx, rows.map(rowToEnvelope));
      const last = rows[rows.length - 1]!;
      after = [last.terminal_id, last.seq];
      done += rows.length;
      opts.onProgress?.({ done, total });
    }
    return { done, total };
  });
}

export function rowToEnvelope(r: {
  id: string;
  terminal_id: string;
  seq: number;
  store_id: string;
  type: string;
  schema_version: number;
  business_date: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}): EventEnvelope {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    seq: r.seq,
    storeId: r.store_id,
    type: r.type,
    schemaVersion: r.schema_version,
    businessDate: r.business_date,
    occurredAt: r.occurred_at.toISOString(),
    payload: r.payload,
  };
}
