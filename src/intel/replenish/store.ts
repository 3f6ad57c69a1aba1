/**
 * Draft purchase orders at HQ: stored from a replenishment run, then approved, edited or rejected by a
 * manager. Nothing leaves as an order unless its draft is 'approved'; every action is appended to the
 * decisions with who and when. Status changes lock the draft row, so two managers cannot both decide.
 */
import type { ColumnType, ExpressionBuilder, Generated, Kysely, Transaction } from 'kysely';
import { catalogDb } from '../../catalog/hq/index.ts';
import { conflict, invalid, newId, notFound } from '../../core/index.ts';
import type { HqDb, HqSchema } from '../../db/index.ts';
import type { DraftLineInputs, DraftOrder } from './drafts.ts';
import type { PolicyParams } from './engine.ts';

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * `superseded`: an untouched draft a later run replaced; `cancelled`: an approved order called off, so
 * its undelivered units no longer count as on order.
 */
export type DraftStatus = 'draft' | 'approved' | 'rejected' | 'superseded' | 'cancelled';
type DecisionAction =
  | 'created'
  | 'edited'
  | 'approved'
  | 'rejected'
  | 'superseded'
  | 'cancelled'
  | 'received';

/** Tables of migration 0005, kept here so HQ's shared schema type is not edited by this module. */
export type ReplenishTables = {
  purchase_drafts: {
    id: string;
    supplier_id: string;
    status: ColumnType<DraftStatus, DraftStatus | undefined, DraftStatus>;
    run_id: string;
    policy: Json<Record<string, unknown>>;
    created_at: Generated<Date>;
    created_by: string;
    decided_at: Timestamp | null;
    decided_by: string | null;
  };
  purchase_draft_lines: {
    draft_id: string;
    line_no: number;
    store_id: string;
    sku: string;
    series_id: string;
    qty: number;
    suggested_qty: number;
    unit_cost_minor: ColumnType<number, number, number>;
    inputs: Json<DraftLineInputs>;
    reason: string;
    /** Units delivered against this line so far (migration 0013). */
    received_qty: ColumnType<number, number | undefined, number>;
  };
  purchase_draft_decisions: {
    id: Generated<number>;
    draft_id: string;
    action: DecisionAction;
    actor: string;
    at: Generated<Date>;
    detail: Json<Record<string, unknown>>;
  };
};

type Db = Kysely<HqSchema & ReplenishTables>;
const tables = (db: HqDb): Db => db.withTables<ReplenishTables>();

export interface DraftSummary {
  id: string;
  supplierId: string;
  status: DraftStatus;
  runId: string;
  createdAt: string;
  createdBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  lines: number;
  totalMinor: number;
}

export interface StoredLine {
  lineNo: number;
  storeId: string;
  sku: string;
  /** The catalog's product name (the SKU when the catalog no longer has it). */
  name: string;
  seriesId: string;
  qty: number;
  suggestedQty: number;
  unitCostMinor: number;
  inputs: DraftLineInputs;
  reason: string;
  /** Units delivered against this line so far. */
  receivedQty: number;
}

export interface Decision {
  action: string;
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface StoredDraft extends DraftSummary {
  policy: Record<string, unknown>;
  lineItems: StoredLine[];
  decisions: Decision[];
}

const actorOk = (actor: string): string => {
  const a = actor.trim();
  if (!a) throw invalid('actor', 'who is deciding must be named');
  return a;
};

/**
 * Stores one draft per supplier from a run; returns the run id, the draft ids in order and the drafts it
 * replaced: the untouched open drafts of earlier runs over the same stores (`storeIds`, all when absent),
 * which the run was computed without (see on-order-store.ts).
 */
export async function saveDrafts(
  db: HqDb,
  drafts: readonly DraftOrder[],
  o: {
    actor: string;
    policy: PolicyParams;
    /**
     * The stores this run planned for: their untouched open drafts from earlier runs are superseded
     * (`'all'` for a chain-wide run). Absent, nothing is superseded: a caller that adds a few drafts
     * by hand has not re-planned any store, so no one's open drafts are withdrawn.
     */
    storeIds?: readonly string[] | 'all';
  },
): Promise<{ runId: string; ids: string[]; superseded: string[] }> {
  const actor = actorOk(o.actor);
  const runId = newId();
  const ids: string[] = [];
  let superseded: string[] = [];
  await tables(db)
    .transaction()
    .execute(async (trx) => {
      const { replaceableDrafts } = await import('./on-order-store.ts');
      if (o.storeIds !== undefined)
        superseded = await replaceableDrafts(trx, o.storeIds === 'all' ? undefined : o.storeIds);
      for (const id of superseded) {
        await trx
          .updateTable('purchase_drafts')
          .set({ status: 'superseded', decided_at: new Date(), decided_by: actor })
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .execute();
        await trx
          .insertInto('purchase_draft_decisions')
          .values({ draft_id: id, action: 'superseded', actor, detail: JSON.stringify({ byRun: runId }) })
          .execute();
      }
      for (const d of drafts) {
        const id = newId();
        ids.push(id);
        await trx
          .insertInto('purchase_drafts')
          .values({
            id,
            supplier_id: d.supplierId,
            run_id: runId,
            policy: JSON.stringify(o.policy),
            created_by: actor,
          })
          .execute();
        // Chunks keep each insert well under PostgreSQL's 65,535 bind parameters.
        for (let k = 0; k < d.lines.length; k += 1000) {
          await trx
            .insertInto('purchase_draft_lines')
            .values(
              d.lines.slice(k, k + 1000).map((l, j) => ({
                draft_id: id,
                line_no: k + j + 1,
                store_id: l.storeId,
                sku: l.sku,
                series_id: l.seriesId,
                qty: l.qty,
                suggested_qty: l.qty,
                unit_cost_minor: l.unitCostMinor,
                inputs: JSON.stringify(l.inputs),
                reason: l.reason,
              })),
            )
            .execute();
        }
        await trx
          .insertInto('purchase_draft_decisions')
          .values({
            draft_id: id,
            action: 'created',
            actor,
            detail: JSON.stringify({ runId, lines: d.lines.length }),
          })
          .execute();
      }
    });
  return { runId, ids, superseded };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Which drafts a list asks for; `stores` keeps drafts with at least one line for one of them. */
export interface DraftFilter {
  status?: DraftStatus;
  supplierId?: string;
  id?: string;
  stores?: readonly string[];
}

/** How many drafts a filter matches, so a list cut at its limit can say how many there are. */
export async function countDrafts(db: HqDb, f: DraftFilter = {}): Promise<number> {
  let q = tables(db)
    .selectFrom('purchase_drafts as d')
    .select((eb) => eb.fn.countAll<number>().as('n'));
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.supplierId) q = q.where('d.supplier_id', '=', f.supplierId);
  if (f.id) q = q.where('d.id', '=', f.id);
  if (f.stores) q = q.where(linesIn(f.stores));
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

const linesIn =
  (stores: readonly string[]) =>
  (eb: ExpressionBuilder<HqSchema & ReplenishTables & { d: ReplenishTables['purchase_drafts'] }, 'd'>) =>
    stores.length === 0
      ? eb.lit(false)
      : eb.exists(
          eb
            .selectFrom('purchase_draft_lines as x')
            .select('x.line_no')
            .whereRef('x.draft_id', '=', 'd.id')
            .where('x.store_id', 'in', [...stores]),
        );

export async function listDrafts(
  db: HqDb,
  f: DraftFilter & { limit?: number } = {},
): Promise<DraftSummary[]> {
  let q = tables(db)
    .selectFrom('purchase_drafts as d')
    .leftJoin('purchase_draft_lines as l', 'l.draft_id', 'd.id')
    .select((eb) => [
      'd.id',
      'd.supplier_id',
      'd.status',
      'd.run_id',
      'd.created_at',
      'd.created_by',
      'd.decided_at',
      'd.decided_by',
      eb.fn.count<number>('l.line_no').as('lines'),
      eb.fn.coalesce(eb.fn.sum<number>(eb('l.qty', '*', eb.ref('l.unit_cost_minor'))), eb.lit(0)).as('total'),
    ])
    .groupBy('d.id')
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id')
    .limit(f.limit ?? 200);
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.supplierId) q = q.where('d.supplier_id', '=', f.supplierId);
  if (f.id) q = q.where('d.id', '=', f.id);
  if (f.stores) q = q.where(linesIn(f.stores));
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    supplierId: r.supplier_id,
    status: r.status,
    runId: r.run_id,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    decidedAt: iso(r.decided_at),
    decidedBy: r.decided_by,
    lines: Number(r.lines),
    totalMinor: Number(r.total),
  }));
}

export async function getDraft(db: HqDb, id: string): Promise<StoredDraft> {
  const t = tables(db);
  const [summary] = await listDrafts(db, { id, limit: 1 });
  const head = await t.selectFrom('purchase_drafts').select('policy').where('id', '=', id).executeTakeFirst();
  if (!summary || !head) throw notFound(`draft ${id}`, 'id');
  const lines = await t
    .selectFrom('purchase_draft_lines')
    .selectAll()
    .where('draft_id', '=', id)
    .orderBy('line_no')
    .execute();
  // The catalog's name for each SKU, so a line reads as a product; a SKU since removed keeps its number.
  const skus = [...new Set(lines.map((l) => l.sku))];
  const names = new Map(
    skus.length
      ? (
          await catalogDb(db)
            .selectFrom('products')
            .select(['sku', 'name'])
            .where('sku', 'in', skus)
            .execute()
        ).map((p) => [p.sku, p.name])
      : [],
  );
  const decisions = await t
    .selectFrom('purchase_draft_decisions')
    .selectAll()
    .where('draft_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...summary,
    policy: head.policy,
    lineItems: lines.map((l) => ({
      lineNo: l.line_no,
      storeId: l.store_id,
      sku: l.sku,
      name: names.get(l.sku) ?? l.sku,
      seriesId: l.series_id,
      qty: l.qty,
      suggestedQty: l.suggested_qty,
      unitCostMinor: Number(l.unit_cost_minor),
      inputs: l.inputs,
      reason: l.reason,
      receivedQty: l.received_qty,
    })),
    decisions: decisions.map((d) => ({
      action: d.action,
      actor: d.actor,
      at: d.at.toISOString(),
      detail: d.detail,
    })),
  };
}

/** Locks a draft in status `from` (undecided by default) for a change, or says why it cannot change. */
async function lockOpen(
  trx: Transaction<HqSchema & ReplenishTables>,
  id: string,
  from: DraftStatus = 'draft',
): Promise<void> {
  const d = await trx
    .selectFrom('purchase_drafts')
    .select('status')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!d) throw notFound(`draft ${id}`, 'id');
  if (d.status !== from)
    throw conflict(
      from === 'draft' ? `draft ${id} is already ${d.status}` : `draft ${id} is ${d.status}, not ${from}`,
      'status',
    );
}

/** Sets a line's quantity (0 drops it from the order); the suggestion stays for comparison. */
/** One quantity change on a draft line, as recorded in the draft's history. */
export interface LineChange {
  lineNo: number;
  storeId: string;
  sku: string;
  from: number;
  to: number;
}

/**
 * Sets a line's quantity and records the change once in the draft's history. Idempotent: asking for the
 * quantity the line already has writes nothing and answers null, so a repeated submit (Enter, then
 * leaving the field; a retried request) is no second entry. `alongside` runs in the same transaction
 * with the change (the route's audit entry), so both logs hold it or neither does.
 */
export async function editLine(
  db: HqDb,
  id: string,
  lineNo: number,
  qty: number,
  actor: string,
  alongside?: (trx: HqDb, change: LineChange) => Promise<unknown>,
): Promise<LineChange | null> {
  const who = actorOk(actor);
  if (!Number.isInteger(qty) || qty < 0) throw invalid('qty', 'must be a whole number ≥ 0');
  return db.transaction().execute(async (base) => {
    const trx = base.withTables<ReplenishTables>();
    await lockOpen(trx, id);
    const line = await trx
      .selectFrom('purchase_draft_lines')
      .select(['qty', 'store_id', 'sku'])
      .where('draft_id', '=', id)
      .where('line_no', '=', lineNo)
      .executeTakeFirst();
    if (!line) throw notFound(`line ${lineNo} of draft ${id}`, 'line');
    if (line.qty === qty) return null;
    await trx
      .updateTable('purchase_draft_lines')
      .set({ qty })
      .where('draft_id', '=', id)
      .where('line_no', '=', lineNo)
      .execute();
    const change = { lineNo, storeId: line.store_id, sku: line.sku, from: line.qty, to: qty };
    await trx
      .insertInto('purchase_draft_decisions')
      .values({
        draft_id: id,
        action: 'edited',
        actor: who,
        detail: JSON.stringify({
          line: lineNo,
          storeId: change.storeId,
          sku: change.sku,
          from: change.from,
          to: change.to,
        }),
      })
      .execute();
    await alongside?.(base, change);
    return change;
  });
}

async function decide(
  db: HqDb,
  id: string,
  status: 'approved' | 'rejected' | 'cancelled',
  actor: string,
  note?: string,
) {
  const who = actorOk(actor);
  await tables(db)
    .transaction()
    .execute(async (trx) => {
      await lockOpen(trx, id, status === 'cancelled' ? 'approved' : 'draft');
      await trx
        .updateTable('purchase_drafts')
        .set({ status, decided_at: new Date(), decided_by: who })
        .where('id', '=', id)
        .execute();
      await trx
        .insertInto('purchase_draft_decisions')
        .values({ draft_id: id, action: status, actor: who, detail: JSON.stringify(note ? { note } : {}) })
        .execute();
    });
}

export const approveDraft = (db: HqDb, id: string, actor: string, note?: string): Promise<void> =>
  decide(db, id, 'approved', actor, note);

export const rejectDraft = (db: HqDb, id: string, actor: string, reason?: string): Promise<void> =>
  decide(db, id, 'rejected', actor, reason);

/** Calls off an approved order: what has not arrived stops counting as on order. */
export const cancelDraft = (db: HqDb, id: string, actor: string, reason?: string): Promise<void> =>
  decide(db, id, 'cancelled', actor, reason);
