import { sql } from 'kysely';
import type { z } from 'zod';
import type { EventEnvelope } from '../core/event.ts';
import { CUSTOMER_EVENT_TYPES, customerCreatedSchema } from '../customers/events.ts';
import { applySalesHourlyProjection } from '../dashboard/hourly-projection.ts';
import type { HqDb } from '../db/hq-db.ts';
import { inventoryPayloadSchemas } from '../inventory/events.ts';
import { INVENTORY_TABLES } from '../inventory/schema.ts';
import { applyStockProjection } from '../inventory/stock-projection.ts';
import {
  cartLineVoidedSchema,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  giftCardSoldSchema,
  receiptReprintedSchema,
  SALES_EVENT_TYPES,
  saleCompletedSchema,
  saleReturnedSchema,
  saleVoidedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
} from '../sales/events.ts';
import { applySalesDailyProjection } from '../sales/facts-projection.ts';
import { applyStoredValueProjection } from '../stored-value/ledger.ts';
import { BASE_COLUMNS, type BaseTable, resetToBase } from './projection-base.ts';

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
  [SALES_EVENT_TYPES.giftCardIssued]: { 1: giftCardSoldSchema },
  [SALES_EVENT_TYPES.giftCardLoaded]: { 1: giftCardSoldSchema },
  [SALES_EVENT_TYPES.receiptReprinted]: { 1: receiptReprintedSchema },
  [CUSTOMER_EVENT_TYPES.customerCreated]: { 1: customerCreatedSchema },
  ...inventoryPayloadSchemas,
};

/**
 * Every projection built from the log, with the tables it owns (emptied on rebuild). Register a new
 * projection with one line here; `apply` receives only events no projection has seen before.
 */
const projections: { tables: string[]; apply: typeof applyStockProjection }[] = [
  { tables: [...INVENTORY_TABLES], apply: applyStockProjection },
  { tables: ['sales_daily'], apply: applySalesDailyProjection },
  { tables: ['sales_hourly'], apply: applySalesHourlyProjection },
  // The ledger of record, not a view: a rebuild keeps it, and replaying finds every movement key taken.
  { tables: [], apply: applyStoredValueProjection },
];

/** Applies events to every projection, in the caller's transaction. Prefer projectEvents (idempotent). */
export async function applyProjections(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  for (const p of projections) await p.apply(trx, events);
}

const MARK_CHUNK = 5_000;

/**
 * Applies events the projections do not hold yet, and records them as held, in the caller's
 * transaction: a redelivery (the bus after a crash, an event applied inline by HQ and then delivered
 * by the bus, a rebuild racing a consumer) changes nothing. Returns how many were new.
 */
export async function projectEvents(trx: HqDb, events: readonly EventEnvelope[]): Promise<number> {
  if (events.length === 0) return 0;
  const fresh = new Set<string>();
  const ids = [...new Set(events.map((e) => e.id))];
  for (let i = 0; i < ids.length; i += MARK_CHUNK) {
    const rows = await trx
      .withTables<{ projected_events: { event_id: string } }>()
      .insertInto('projected_events')
      .values(ids.slice(i, i + MARK_CHUNK).map((event_id) => ({ event_id })))
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .execute();
    for (const r of rows) fresh.add(r.event_id);
  }
  const seen = new Set<string>();
  const todo = events.filter((e) => fresh.has(e.id) && !seen.has(e.id) && seen.add(e.id));
  await applyProjections(trx, todo);
  return todo.length;
}

export interface RebuildProgress {
  done: number;
  total: number;
}

/**
 * Empties the projections (the sales facts down to their imported base) and replays the whole event log
 * into them in the order it arrived, in chunks. Ingest is never held off: it writes the log and the outbox, not the
 * projections. `atomic` (the default, right for PostgreSQL) runs in one transaction: readers keep seeing the old
 * numbers until the new ones commit, and the bus consumer waits (its lag grows, nothing is lost).
 * Without it (PGlite, whose one connection would otherwise be held for the whole replay) each chunk
 * commits on its own so ingest interleaves; readers then see partial numbers until it finishes.
 * Either way an event is applied once: replay and consumer both go through projectEvents.
 */
export async function rebuildProjections(
  db: HqDb,
  opts: { chunkSize?: number; atomic?: boolean; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildProgress> {
  const chunkSize = opts.chunkSize ?? 5_000;
  const inTx = <T>(fn: (trx: HqDb) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);
  const clear = async (trx: HqDb): Promise<void> => {
    // Held to the end of the transaction: consumers wait instead of deadlocking with the replay.
    await sql`LOCK TABLE projected_events IN EXCLUSIVE MODE`.execute(trx);
    const tables = [...new Set(projections.flatMap((p) => p.tables)), 'projected_events'];
    // DELETE rather than TRUNCATE: readers are not locked out and keep the old rows until commit.
    // Sales facts keep what was imported rather than logged (see projection-base.ts): only the log's part goes.
    for (const t of tables)
      if (t in BASE_COLUMNS) await resetToBase(trx, t as BaseTable);
      else await sql`DELETE FROM ${sql.table(t)}`.execute(trx);
  };
  const replay = async (trx: HqDb, step: (fn: (t: HqDb) => Promise<void>) => Promise<void>) => {
    const { n: total } = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    let done = 0;
    let after = 0;
    opts.onProgress?.({ done, total });
    for (;;) {
      const rows = await trx
        .withTables<{ events: { pos: number } }>()
        .selectFrom('events')
        .selectAll()
        .where('pos', '>', after)
        .orderBy('pos')
        .limit(chunkSize)
        .execute();
      if (rows.length === 0) break;
      await step((t) => projectEvents(t, rows.map(rowToEnvelope)).then(() => undefined));
      after = rows[rows.length - 1]!.pos;
      done += rows.length;
      opts.onProgress?.({ done, total });
    }
    return { done, total };
  };
  if (opts.atomic ?? true)
    return inTx(async (trx) => {
      await clear(trx);
      return replay(trx, (fn) => fn(trx));
    });
  await inTx(clear);
  return replay(db, (fn) => inTx(fn));
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
