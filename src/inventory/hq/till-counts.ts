import { sql } from 'kysely';
import type { EventEnvelope } from '../../core/index.ts';
import { type EventRow, rowToEnvelope } from '../../sync/hq/index.ts';
import { INVENTORY_EVENT_TYPES, type StockCountTaken, stockCountTakenSchema } from '../events.ts';
import { sortKeys } from '../keys.ts';
import { HQ_ONLY_TYPES, INVENTORY_FOLDED_TYPES, levelKey } from './fold.ts';
import type { InventoryDb, ValuedCountLine } from './inventory-tables.ts';
import { lockLevels } from './levels.ts';

/**
 * Counts taken at a till. The till knows only what was on the shelf; HQ values the count against its
 * ledger as it stood at the freeze. That comparison is only right once every earlier event of the till
 * (the sales rung up before the freeze, a delivery booked before it) is in the ledger, so a count that
 * arrives ahead of them (batches out of order after a day offline) is parked in `inventory_parked`,
 * which survives a restart, and folded as soon as the last of them is. The valuation is written once
 * to `inventory_count_valuations`, which a rebuild keeps, so a replay books the same variance and money.
 */

/** How the projection claims and folds events, handed in so this file stays free of the writer. */
export interface Folder {
  /** Records events as folded; returns those not folded before. */
  claim(events: readonly EventEnvelope[]): Promise<EventEnvelope[]>;
  /** Folds events already claimed. */
  fold(events: readonly EventEnvelope[]): Promise<void>;
}

/** Event types a till's count waits for: those the ledger folds when a till sends them. */
const TILL_FOLDED = [...INVENTORY_FOLDED_TYPES].filter((t) => !HQ_ONLY_TYPES.has(t));

/** Folds a till count now if every earlier event of its till is folded, else parks it. */
export async function foldOrParkTillCount(db: InventoryDb, e: EventEnvelope, folder: Folder): Promise<void> {
  const waiting = await waitingFor(db, e.terminalId, e.seq);
  if (waiting) {
    await db
      .insertInto('inventory_parked')
      .values({ event_id: e.id, terminal_id: e.terminalId, seq: e.seq, store_id: e.storeId, reason: waiting })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
    return;
  }
  await foldNow(db, e, folder);
}

/**
 * Folds the parked counts of these terminals whose wait is over, oldest first. Called after every fold
 * of till events, so the event that completes a count's history also releases it.
 */
export async function unparkTillCounts(
  db: InventoryDb,
  terminalIds: readonly string[],
  folder: Folder,
): Promise<void> {
  const terminals = [...new Set(terminalIds)];
  if (terminals.length === 0) return;
  const parked = await db
    .selectFrom('inventory_parked')
    .select(['event_id', 'terminal_id', 'seq'])
    .where('terminal_id', 'in', terminals)
    .orderBy('terminal_id')
    .orderBy('seq')
    .forUpdate()
    .execute();
  const blocked = new Set<string>();
  for (const p of parked) {
    if (blocked.has(p.terminal_id)) continue;
    const waiting = await waitingFor(db, p.terminal_id, Number(p.seq));
    if (waiting) {
      // A later count of the same till waits at least as long.
      blocked.add(p.terminal_id);
      await db
        .updateTable('inventory_parked')
        .set({ reason: waiting })
        .where('event_id', '=', p.event_id)
        .execute();
      continue;
    }
    const row = await sql<EventRow>`
      SELECT id, terminal_id, seq, store_id, type, schema_version, business_date::text AS business_date,
             occurred_at, payload
      FROM events WHERE id = ${p.event_id}`.execute(db);
    await db.deleteFrom('inventory_parked').where('event_id', '=', p.event_id).execute();
    const r = row.rows[0];
    if (r) await foldNow(db, rowToEnvelope(r), folder);
  }
}

/** Parked till counts, oldest first, with what each is waiting for (for status and tests). */
export async function parkedTillCounts(
  db: InventoryDb,
): Promise<{ eventId: string; terminalId: string; seq: number; storeId: string; reason: string }[]> {
  const rows = await db.selectFrom('inventory_parked').selectAll().orderBy('parked_at').execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    terminalId: r.terminal_id,
    seq: Number(r.seq),
    storeId: r.store_id,
    reason: r.reason,
  }));
}

/**
 * Why a till's event at `seq` cannot be folded yet, or null when it can: seqs before it that HQ does
 * not hold, or held events of a folded type not yet in the ledger (still on the bus, or parked).
 */
async function waitingFor(db: InventoryDb, terminalId: string, seq: number): Promise<string | null> {
  const { rows } = await sql<{ held: number; unfolded: number }>`
    SELECT count(*)::int AS held,
           count(*) FILTER (WHERE e.type = ANY(${TILL_FOLDED}::text[]) AND a.event_id IS NULL)::int AS unfolded
    FROM events e LEFT JOIN inventory_applied a ON a.event_id = e.id
    WHERE e.terminal_id = ${terminalId} AND e.seq < ${seq}`.execute(db);
  const { held, unfolded } = rows[0] ?? { held: 0, unfolded: 0 };
  if (held < seq - 1) return `${seq - 1 - held} earlier event(s) of ${terminalId} not at HQ yet`;
  if (unfolded > 0) return `${unfolded} earlier event(s) of ${terminalId} not in the ledger yet`;
  return null;
}

/** Claims the count, values it (or takes the valuation made before a rebuild) and folds it. */
async function foldNow(db: InventoryDb, e: EventEnvelope, folder: Folder): Promise<void> {
  const [fresh] = await folder.claim([e]);
  if (!fresh) return;
  const p = stockCountTakenSchema.parse(e.payload);
  const lines = (await storedValuation(db, e.id)) ?? (await valueNow(db, e, p));
  await folder.fold([
    {
      ...e,
      type: INVENTORY_EVENT_TYPES.stockCounted,
      payload: { countId: p.countId, kind: p.kind, freezeAt: p.freezeAt, lines },
    },
  ]);
}

async function storedValuation(db: InventoryDb, eventId: string): Promise<ValuedCountLine[] | undefined> {
  const r = await db
    .selectFrom('inventory_count_valuations')
    .select('lines')
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return r?.lines;
}

async function valueNow(db: InventoryDb, e: EventEnvelope, p: StockCountTaken): Promise<ValuedCountLine[]> {
  const counted = new Map<string, number>();
  for (const l of p.lines) counted.set(l.sku, (counted.get(l.sku) ?? 0) + l.countedQty);
  let q = db
    .selectFrom('inventory_movements')
    .select(['sku', (eb) => eb.fn.sum<number>('on_hand').as('qty')])
    .where('store_id', '=', e.storeId)
    .where('occurred_at', '<=', new Date(p.freezeAt))
    .groupBy('sku');
  if (p.kind === 'cycle') q = q.where('sku', 'in', [...counted.keys()]);
  const expected = new Map((await q.execute()).map((r) => [r.sku, Number(r.qty)]));
  const skus = [...new Set([...counted.keys(), ...expected.keys()])];
  const levels = await lockLevels(db, sortKeys(skus.map((sku) => ({ storeId: e.storeId, sku }))));
  const cost = new Map(skus.map((s) => [s, levels.get(levelKey(e.storeId, s))?.avgCostMinor ?? 0]));
  const lines = valueCount(p, expected, cost);
  await db
    .insertInto('inventory_count_valuations')
    .values({ event_id: e.id, lines: JSON.stringify(lines) })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
  return lines;
}

/**
 * The posted lines of a till count, pure: counted against expected at the freeze, valued at `cost`.
 * A full count covers every SKU the store held (uncounted ones count as zero); a cycle count only the
 * SKUs counted. The same SKU counted twice (two shelves) adds up.
 */
export function valueCount(
  p: StockCountTaken,
  expected: ReadonlyMap<string, number>,
  cost: ReadonlyMap<string, number>,
): ValuedCountLine[] {
  const counted = new Map<string, number>();
  for (const l of p.lines) counted.set(l.sku, (counted.get(l.sku) ?? 0) + l.countedQty);
  const skus = new Set(counted.keys());
  if (p.kind === 'full') for (const s of expected.keys()) skus.add(s);
  return [...skus]
    .sort()
    .map((sku) => {
      const countedQty = counted.get(sku) ?? 0;
      const expectedQty = expected.get(sku) ?? 0;
      return {
        sku,
        countedQty,
        expectedQty,
        variance: countedQty - expectedQty,
        unitCostMinor: cost.get(sku) ?? 0,
      };
    })
    .filter((l) => l.expectedQty !== 0 || l.countedQty !== 0);
}
