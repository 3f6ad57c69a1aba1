import { z } from 'zod';
import {
  audit,
  forbidden,
  type Principal,
  principalOf,
  type ScopeOf,
  storesFor,
} from '../../access/index.ts';
import {
  API_BASE,
  DASHBOARD_PATHS,
  draftDetail as draft,
  draftListQuery,
  draftListResponse,
  draftStatus as status,
  draftSummary as summary,
} from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import {
  approveDraft,
  cancelDraft,
  countDrafts,
  type DraftFilter,
  editLine,
  getDraft,
  listDrafts,
  rejectDraft,
} from '../../intel/replenish/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageQuery, rowsToFetch, sendPage } from './list-page.ts';

/** Drafts a list sends when the caller names no limit (the dashboard asks for 50). */
const DRAFTS_PAGE = 200;

const idParam = z.object({ id: z.uuid() });
/**
 * A token names no person, so with the admin token the deciding manager is named in the body; with a
 * session the signed-in user decides and `actor` is ignored.
 */
const actor = z.string().min(1).max(200).optional().describe('who decides (token callers only; recorded)');

const actorOf = (p: Principal, given: string | undefined): string => {
  if (p.kind === 'user') return p.actor;
  if (!given) throw invalid('actor', 'name who decides (a signed-in user is recorded by name instead)');
  return given;
};

type Draft = Awaited<ReturnType<typeof getDraft>>;

/** A draft as a scoped reader sees it: only the lines of stores they read, totals over those lines. */
function scoped(p: Principal, d: Draft): Draft {
  const mine = storesFor(p, 'view_reports');
  if (mine === 'all') return d;
  const lineItems = d.lineItems.filter((l) => mine.includes(l.storeId));
  if (lineItems.length === 0) throw forbidden(`draft ${d.id} orders for none of your stores`, 'store');
  return {
    ...d,
    lineItems,
    lines: lineItems.length,
    totalMinor: lineItems.reduce((sum, l) => sum + l.qty * l.unitCostMinor, 0),
  };
}

/** Deciding on a draft decides for every store on it: approve_purchase_orders must cover all of them. */
const draftStores: ScopeOf = async (req, db) => {
  const d = await getDraft(db, (req.params as { id: string }).id);
  return { field: 'store', stores: [...new Set(d.lineItems.map((l) => l.storeId))] };
};
/** Editing a line decides for that line's store. */
const lineStore: ScopeOf = async (req, db) => {
  const { id, line } = req.params as { id: string; line: number };
  const l = (await getDraft(db, id)).lineItems.find((x) => x.lineNo === Number(line));
  return l ? { field: 'store', stores: [l.storeId] } : undefined;
};

const decided = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

/** A decision as the audit log keeps it: the status before and after, who decided, the note or reason. */
function decisionEntry(action: keyof typeof decided, before: Draft, after: Draft, text: string | undefined) {
  const stores = [...new Set(after.lineItems.map((l) => l.storeId))];
  return {
    action: `purchase_order.${decided[action]}`,
    target: { type: 'purchase_order', id: after.id },
    ...(stores.length === 1 ? { storeId: stores[0] } : {}),
    before: { status: before.status },
    after: { status: after.status, decidedBy: after.decidedBy, totalMinor: after.totalMinor },
    ...(text === undefined ? {} : { reason: text }),
  };
}

/**
 * Draft purchase orders from replenishment: list, read, edit a line's quantity, approve, reject, cancel an
 * approved one. Reading takes view_reports (a reader sees the lines of their stores); deciding takes
 * approve_purchase_orders over every store the draft orders for. Nothing is sent to a supplier from
 * here, approval only marks it sendable.
 */
export const replenishRoutes: HqRoutes = (app, { db }) => {
  const reads = { access: { permission: 'view_reports' } } as const;
  const base = `${API_BASE}/replenish/drafts`;

  /** Summaries a reader may see: every draft for head office, else those with a line in their stores. */
  const visible = async (p: Principal, f: DraftFilter & { limit: number }) => {
    const mine = storesFor(p, 'view_reports');
    const filter = mine === 'all' ? f : { ...f, stores: mine };
    const all = await listDrafts(db, filter);
    const drafts =
      mine === 'all'
        ? all
        : await Promise.all(
            all.map(async (d) => {
              const {
                policy: _p,
                lineItems: _l,
                decisions: _d,
                ...summary
              } = scoped(p, await getDraft(db, d.id));
              return summary;
            }),
          );
    return { drafts, total: () => countDrafts(db, filter) };
  };

  app.get(
    base,
    {
      schema: {
        summary: 'Draft purchase orders, newest first',
        security: bearer,
        querystring: z.object({
          status: status.optional(),
          supplier: z.string().optional(),
          ...pageQuery(1000),
        }),
        response: { 200: z.array(summary) },
      },
      config: reads,
    },
    async (req, reply) => {
      const { drafts } = await visible(principalOf(req), {
        status: req.query.status,
        supplierId: req.query.supplier,
        limit: rowsToFetch(req.query, DRAFTS_PAGE),
      });
      return sendPage(req, reply, drafts, req.query, DRAFTS_PAGE);
    },
  );

  app.get(
    DASHBOARD_PATHS.draftList,
    {
      schema: {
        summary: 'Draft purchase orders, newest first, with how many there are in all',
        security: bearer,
        querystring: draftListQuery,
        response: { 200: draftListResponse },
      },
      config: reads,
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const { drafts, total } = await visible(principalOf(req), { status: req.query.status, limit });
      const count = drafts.length < limit ? drafts.length : await total();
      return { drafts, total: count, truncated: count > drafts.length };
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        summary: 'One draft with its lines (forecast, inputs, reason) and every decision taken on it',
        security: bearer,
        params: idParam,
        response: { 200: draft },
      },
      config: reads,
    },
    async (req) => scoped(principalOf(req), await getDraft(db, req.params.id)),
  );

  app.patch(
    `${base}/:id/lines/:line`,
    {
      schema: {
        summary: "Change a line's quantity (0 drops it); the suggestion is kept beside it",
        security: bearer,
        params: idParam.extend({ line: z.coerce.number().int().positive() }),
        body: z.object({ qty: z.number().int().min(0), actor }),
        response: { 200: draft },
      },
      config: { access: { permission: 'approve_purchase_orders', scope: lineStore } },
    },
    async (req) => {
      const p = principalOf(req);
      const by = actorOf(p, req.body.actor);
      // Recorded once, in the edit's own transaction; the same quantity again changes and records nothing.
      await editLine(db, req.params.id, req.params.line, req.body.qty, by, (trx, change) =>
        audit(req).record(
          {
            action: 'purchase_order.line_changed',
            target: { type: 'purchase_order', id: req.params.id },
            storeId: change.storeId,
            before: { lineNo: change.lineNo, qty: change.from },
            after: { lineNo: change.lineNo, qty: change.to, by },
          },
          trx,
        ),
      );
      return scoped(p, await getDraft(db, req.params.id));
    },
  );

  /** Approve, reject and cancel: one shape, a decision on one draft by someone allowed to decide. */
  const decisionRoute = (
    action: 'approve' | 'reject' | 'cancel',
    summary: string,
    decide: (id: string, actor: string, text: string | undefined) => Promise<unknown>,
  ): void => {
    app.post(
      `${base}/:id/${action}`,
      {
        schema: {
          summary,
          security: bearer,
          params: idParam,
          body: z.object({
            actor,
            note: z.string().max(2000).optional().describe('approve: a note for the order'),
            reason: z.string().max(2000).optional().describe('reject and cancel: why'),
          }),
          response: { 200: draft },
        },
        config: { access: { permission: 'approve_purchase_orders', scope: draftStores } },
      },
      async (req) => {
        const p = principalOf(req);
        const text = action === 'approve' ? req.body.note : req.body.reason;
        const before = await getDraft(db, req.params.id);
        await decide(req.params.id, actorOf(p, req.body.actor), text);
        const d = await getDraft(db, req.params.id);
        await audit(req).record(decisionEntry(action, before, d, text));
        return scoped(p, d);
      },
    );
  };
  decisionRoute('approve', 'Approve a draft: the only way it becomes an order that may be sent', (id, a, t) =>
    approveDraft(db, id, a, t),
  );
  decisionRoute('reject', 'Reject a draft, with a reason', (id, a, t) => rejectDraft(db, id, a, t));
  decisionRoute(
    'cancel',
    'Cancel an approved order: what has not been delivered stops counting as on order, so the next run may order it again',
    (id, a, t) => cancelDraft(db, id, a, t),
  );
};
