/**
 * On order at HQ: approved purchase orders count until their deliveries arrive (each stock.received
 * delivery is matched to open lines once, in purchase_receipts) or they are cancelled; drafts a manager
 * has edited count too, because a new run does not replace them. Untouched drafts of earlier runs do
 * not count: a new run replaces them (as Odoo's and Lightspeed's reorder runs update their open drafts)
 * rather than ordering on top of them.
 */
import { type Kysely, sql } from 'kysely';
import type { HqDb, HqSchema } from '../../db/index.ts';
import { allocateDeliveries, type Delivery, type OpenOrderLine, onOrderByItem } from './on-order.ts';
import type { ReplenishTables } from './store.ts';

/** Table of migration 0013. */
export type OnOrderTables = ReplenishTables & {
  purchase_receipts: { event_id: string; draft_id: string; line_no: number; qty: number };
};
type Db = Kysely<HqSchema & OnOrderTables>;
// Any Kysely over HQ's schema, a transaction included; withTables adds this module's tables.
const tables = (db: Kysely<HqSchema>): Db => db.withTables<OnOrderTables>();

/**
 * Open drafts a new run over `storeIds` (all stores when absent) replaces: not edited by anyone, and
 * ordering for none but those stores.
 */
export async function replaceableDrafts(
  db: Kysely<HqSchema & ReplenishTables>,
  storeIds?: readonly string[],
): Promise<string[]> {
  let q = db
    .selectFrom('purchase_drafts as d')
    .select('d.id')
    .where('d.status', '=', 'draft')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('purchase_draft_decisions as x')
            .select('x.id')
            .whereRef('x.draft_id', '=', 'd.id')
            .where('x.action', '=', 'edited'),
        ),
      ),
    );
  if (storeIds)
    q = q.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('purchase_draft_lines as l')
            .select('l.line_no')
            .whereRef('l.draft_id', '=', 'd.id')
            .where('l.store_id', 'not in', storeIds.length > 0 ? [...storeIds] : ['']),
        ),
      ),
    );
  return (await q.execute()).map((r) => r.id);
}

/** Matches deliveries that arrived since the oldest open approved order to its lines; idempotent. */
export async function settleDeliveries(db: HqDb): Promise<number> {
  return await tables(db)
    .transaction()
    .execute(async (trx) => {
      // Two runs at once must not both match one delivery: they queue on the approved orders' rows.
      const approved = await trx
        .selectFrom('purchase_drafts')
        .select(['id', 'decided_at'])
        .where('status', '=', 'approved')
        .orderBy('id')
        .forUpdate()
        .execute();
      if (approved.length === 0) return 0;
      const approvedAt = new Map(approved.map((d) => [d.id, d.decided_at?.getTime() ?? 0]));
      const open: OpenOrderLine[] = (
        await trx
          .selectFrom('purchase_draft_lines')
          .select(['draft_id', 'line_no', 'store_id', 'sku', 'qty', 'received_qty'])
          .where('draft_id', 'in', [...approvedAt.keys()])
          .whereRef('received_qty', '<', 'qty')
          .execute()
      ).map((l) => ({
        draftId: l.draft_id,
        lineNo: l.line_no,
        storeId: l.store_id,
        sku: l.sku,
        qty: l.qty,
        receivedQty: l.received_qty,
        approvedAt: approvedAt.get(l.draft_id) ?? 0,
      }));
      if (open.length === 0) return 0;
      const since = new Date(Math.min(...open.map((l) => l.approvedAt)));
      const stores = [...new Set(open.map((l) => l.storeId))];
      const { rows } = await sql<{
        id: string;
        store_id: string;
        sku: string;
        qty: number;
        reference: string | null;
        received_at: Date;
        matched: number;
      }>`
        SELECT e.id, e.store_id, e.payload->>'sku' AS sku, (e.payload->>'qty')::int AS qty,
               e.payload->>'reference' AS reference, e.received_at,
               COALESCE((SELECT SUM(r.qty) FROM purchase_receipts r WHERE r.event_id = e.id), 0)::int AS matched
        FROM events e
        WHERE e.type = 'stock.received' AND e.payload->>'reason' = 'delivery'
          AND e.received_at >= ${since} AND e.store_id IN (${sql.join(stores)})`.execute(trx);
      const deliveries: Delivery[] = rows
        .filter((r) => r.qty - r.matched > 0)
        .map((r) => ({
          eventId: r.id,
          storeId: r.store_id,
          sku: r.sku,
          qty: r.qty - r.matched,
          at: new Date(r.received_at).getTime(),
          reference: r.reference ?? undefined,
        }));
      const matches = allocateDeliveries(open, deliveries);
      for (const m of matches) {
        await trx
          .insertInto('purchase_receipts')
          .values({ event_id: m.eventId, draft_id: m.draftId, line_no: m.lineNo, qty: m.qty })
          .execute();
        await trx
          .updateTable('purchase_draft_lines')
          .set((eb) => ({ received_qty: eb('received_qty', '+', m.qty) }))
          .where('draft_id', '=', m.draftId)
          .where('line_no', '=', m.lineNo)
          .execute();
      }
      const byDraft = new Map<string, typeof matches>();
      for (const m of matches) byDraft.set(m.draftId, [...(byDraft.get(m.draftId) ?? []), m]);
      for (const [draftId, ms] of byDraft)
        await trx
          .insertInto('purchase_draft_decisions')
          .values({
            draft_id: draftId,
            action: 'received',
            actor: 'deliveries',
            detail: JSON.stringify({
              lines: ms.map((m) => ({ line: m.lineNo, qty: m.qty, eventId: m.eventId })),
            }),
          })
          .execute();
      return matches.length;
    });
}

/**
 * Units on order per `storeId|sku` for a run over `storeIds`: approved orders less what arrived, plus
 * the open drafts this run will not replace. Settle deliveries first (settleDeliveries).
 */
export async function onOrderFromDrafts(
  db: HqDb,
  storeIds?: readonly string[],
): Promise<Map<string, number>> {
  const replaced = new Set(await replaceableDrafts(db.withTables<ReplenishTables>(), storeIds));
  let q = tables(db)
    .selectFrom('purchase_draft_lines as l')
    .innerJoin('purchase_drafts as d', 'd.id', 'l.draft_id')
    .select(['d.id', 'd.status', 'l.store_id', 'l.sku', 'l.qty', 'l.received_qty'])
    .where('d.status', 'in', ['approved', 'draft']);
  if (storeIds) q = q.where('l.store_id', 'in', storeIds.length > 0 ? [...storeIds] : ['']);
  const lines = (await q.execute())
    .filter((l) => l.status === 'approved' || !replaced.has(l.id))
    .map((l) => ({ storeId: l.store_id, sku: l.sku, qty: l.qty, receivedQty: l.received_qty }));
  return onOrderByItem(lines);
}
