import type { FastifyRequest } from 'fastify';
import { fromQuery, listedStores, type Principal, principalOf } from '../../access/index.ts';
import {
  briefingResponse,
  DASHBOARD_PATHS,
  drillQuery,
  drillResponse,
  errorBody,
  forecastQuery,
  forecastResponse,
  inventoryResponse,
  paceQuery,
  paceResponse,
  scopeResponse,
  storeQuery,
  tillsResponse,
} from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { loadSegmentShrinks } from '../../intel/customers/hq/index.ts';
import {
  addDays,
  briefingText,
  describeStores,
  listCategories,
  loadDeviations,
  loadDrill,
  loadForecast,
  loadInventory,
  loadPace,
  loadTills,
  pickActions,
  rephraseBriefing,
  type ScopeStore,
  type StoreSet,
  shapeScope,
  source,
  storesInScope,
  todayIn,
} from '../../reports/index.ts';
import type { HqRoutes } from './hq-routes.ts';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/** "all" (or nothing) asks for the whole scope. */
const askedStore = (store: string | undefined): string | undefined =>
  store === undefined || store === '' || store === 'all' ? undefined : store;

interface Ctx {
  p: Principal;
  stores: ScopeStore[];
  set: StoreSet;
  storeId: string | undefined;
  today: string;
  currency: string;
}

async function context(
  db: HqDb,
  req: FastifyRequest,
  store: string | undefined,
  now = new Date(),
): Promise<Ctx> {
  const p = principalOf(req);
  const storeId = askedStore(store);
  const set = listedStores(p, 'view_reports', storeId);
  const stores = await storesInScope(db, p);
  const focus = storeId ? stores.filter((s) => s.id === storeId) : stores;
  if (storeId && focus.length === 0) throw invalid('store', `store ${storeId} does not exist`);
  return { p, stores, set, storeId, today: todayIn(focus, now), currency: focus[0]?.currency ?? 'EUR' };
}

/**
 * The manager's dashboard API. Every panel needs view_reports: a store asked for outside it is refused
 * (403 naming `store`) by the route's declaration, and without one the panel covers the stores
 * view_reports reaches; the numbers come from the projections and the stored forecasts, each answer
 * naming its source. The scope (what the screen opens with) takes any credential and shows what it holds.
 */
export const dashboardRoutes: HqRoutes = (app, { db, llm, clock }) => {
  const config = { access: { permission: 'view_reports', scope: fromQuery('store', ['all']) } } as const;
  const rephrased = new Map<string, string | undefined>();

  app.get(
    DASHBOARD_PATHS.scope,
    {
      schema: {
        summary: 'Stores and categories in your scope',
        security,
        response: { 200: scopeResponse, ...errors },
      },
      config: { access: 'authenticated' },
    },
    async (req) => {
      const p = principalOf(req);
      return shapeScope(p, await storesInScope(db, p), await listCategories(db));
    },
  );

  app.get(
    DASHBOARD_PATHS.pace,
    {
      schema: {
        summary: 'Sales pace by hour: a day against the same weekday last week and last year',
        security,
        querystring: paceQuery,
        response: { 200: paceResponse, ...errors },
      },
      config,
    },
    async (req) => {
      const now = clock.now();
      const c = await context(db, req, req.query.store, now);
      return loadPace(db, {
        date: req.query.date ?? c.today,
        stores: c.set,
        storeId: c.storeId ?? null,
        currency: c.currency,
        zones: c.storeId ? c.stores.filter((s) => s.id === c.storeId) : c.stores,
        now,
      });
    },
  );

  app.get(
    DASHBOARD_PATHS.inventory,
    {
      schema: {
        summary:
          'Inventory health: stock-out risk this week, slow movers, dead stock, negative stock, value at cost',
        security,
        querystring: storeQuery,
        response: { 200: inventoryResponse, ...errors },
      },
      config,
    },
    async (req) => {
      const c = await context(db, req, req.query.store, clock.now());
      return loadInventory(db, { stores: c.set, today: c.today, currency: c.currency });
    },
  );

  app.get(
    DASHBOARD_PATHS.tills,
    {
      schema: {
        summary: 'Till health per store: unsent events, last sync, lag, open shifts, cash differences',
        security,
        querystring: storeQuery,
        response: { 200: tillsResponse, ...errors },
      },
      config,
    },
    async (req) => {
      const c = await context(db, req, req.query.store, clock.now());
      const shown = c.storeId ? c.stores.filter((s) => s.id === c.storeId) : c.stores;
      return loadTills(db, {
        stores: shown,
        set: c.set,
        today: c.today,
        currency: c.currency,
      });
    },
  );

  app.get(
    DASHBOARD_PATHS.forecast,
    {
      schema: {
        summary:
          'Forecast of a SKU or category (per store, or summed over your stores) with its history and band',
        security,
        querystring: forecastQuery,
        response: { 200: forecastResponse, ...errors },
      },
      config,
    },
    async (req) => {
      if (req.query.sku && req.query.category)
        throw invalid('category', 'ask for a sku or a category, not both');
      const c = await context(db, req, req.query.store, clock.now());
      return loadForecast(db, {
        storeId: c.storeId,
        stores: c.set,
        sku: req.query.sku,
        category: req.query.category,
      });
    },
  );

  app.get(
    DASHBOARD_PATHS.drill,
    {
      schema: {
        summary: 'Drill-down chain → store → category → SKU: units and revenue over 7 and 28 days',
        security,
        querystring: drillQuery,
        response: { 200: drillResponse, ...errors },
      },
      config,
    },
    async (req) => {
      const c = await context(db, req, req.query.store, clock.now());
      return loadDrill(db, {
        store: c.storeId,
        category: req.query.category,
        stores: c.set,
        scopeStores: c.stores,
        today: c.today,
        currency: c.currency,
      });
    },
  );

  app.get(
    DASHBOARD_PATHS.briefing,
    {
      schema: {
        summary: 'Morning briefing: the top five actions with the numbers behind them',
        security,
        querystring: storeQuery,
        response: { 200: briefingResponse, ...errors },
      },
      config,
    },
    async (req) => {
      const now = clock.now();
      const c = await context(db, req, req.query.store, now);
      const inv = await loadInventory(db, { stores: c.set, today: c.today, currency: c.currency });
      const shown = c.storeId ? c.stores.filter((s) => s.id === c.storeId) : c.stores;
      const tills = await loadTills(db, {
        stores: shown,
        set: c.set,
        today: c.today,
        currency: c.currency,
        now,
      });
      const deviations = await loadDeviations(db, c.set, addDays(c.today, -1));
      const segmentShrinks = await loadSegmentShrinks(db, c.set);
      const actions = pickActions({
        atRisk: inv.atRisk,
        segmentShrinks,
        slowMovers: inv.slowMovers,
        deviations,
        terminals: tills.stores.flatMap((s) => s.terminals.map((t) => ({ ...t, storeId: s.storeId }))),
        currency: c.currency,
      });
      const scopeName = c.storeId
        ? (shown[0]?.name ?? c.storeId)
        : c.set === 'all'
          ? 'all stores'
          : describeStores(c.set);
      const template = briefingText(scopeName, c.today, actions);
      let text = template;
      if (llm && actions.length > 0) {
        if (!rephrased.has(template)) {
          if (rephrased.size > 200) rephrased.clear();
          rephrased.set(template, await rephraseBriefing(template, llm, { logger: req.log }));
        }
        text = rephrased.get(template) ?? template;
      }
      return {
        date: c.today,
        storeId: c.storeId ?? null,
        actions,
        text,
        rephrased: text !== template,
        source: source(
          ['stock_on_hand', 'sales_daily', 'forecast_days', 'terminals', 'events', 'customer_scores'],
          `rules over the inventory panel (${inv.source.query}), till health, and yesterday's sales by category ` +
            `against the newest forecast made before yesterday; ${actions.length} of at most 5 actions`,
          now,
        ),
      };
    },
  );
};
