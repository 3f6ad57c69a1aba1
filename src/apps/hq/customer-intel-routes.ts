import { z } from 'zod';
import { audit, fromQuery, listedStores, principalOf, storesFor } from '../../access/index.ts';
import {
  API_BASE,
  CUSTOMER_INTEL_PATHS,
  customerSegmentsResponse,
  customersAtRiskResponse,
  errorBody,
  storeQuery,
} from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import { canonicalCustomer } from '../../customers/hq/index.ts';
import { customerScore, loadAtRiskCustomers, loadCustomerPanel } from '../../intel/customers/hq/index.ts';
import { storesInScope } from '../../reports/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const errors = { 400: errorBody, 403: errorBody };

const customerScoreResponse = z.object({
  score: z
    .object({
      customerId: z.string(),
      asOf: z.string(),
      horizonDays: z.number().int(),
      currency: z.string(),
      segment: z.string(),
      pActive: z.number().min(0).max(1),
      expectedSpendMinor: z.number().int(),
      clv12Minor: z.number().int(),
    })
    .nullable(),
});

/**
 * The Customers panel: segment sizes, value and movement from HQ's stored customer scores, and the
 * customers at risk ranked by value. Aggregates need view_reports over the stores asked for (each
 * customer counts in the store of their last purchase); names appear only for a caller holding
 * view_customer_data over the chain, and showing them is audited. Otherwise customers are ids.
 */
export const customerIntelRoutes: HqRoutes = (app, { db }) => {
  const tags = ['customers'];
  const config = { access: { permission: 'view_reports', scope: fromQuery('store', ['all']) } } as const;

  const scoped = async (p: ReturnType<typeof principalOf>, store: string | undefined) => {
    const asked = store && store !== 'all' ? store : undefined;
    if (asked && !(await storesInScope(db, p)).some((s) => s.id === asked))
      throw invalid('store', `store ${asked} does not exist`);
    return listedStores(p, 'view_reports', asked);
  };

  app.get(
    CUSTOMER_INTEL_PATHS.segments,
    {
      schema: {
        tags,
        summary:
          'Customer segments from the newest scoring run: size, expected spend and 12-month value, with the movement since the previous run (no personal field)',
        security: bearer,
        querystring: storeQuery,
        response: { 200: customerSegmentsResponse, ...errors },
      },
      config,
    },
    async (req) => loadCustomerPanel(db, await scoped(principalOf(req), req.query.store)),
  );

  app.get(
    CUSTOMER_INTEL_PATHS.atRisk,
    {
      schema: {
        tags,
        summary:
          "Customers at risk (can't lose, at risk, about to sleep, need attention) by 12-month value; names only with view_customer_data over the chain (audited)",
        security: bearer,
        querystring: storeQuery.extend({ limit: z.coerce.number().int().min(1).max(500).optional() }),
        response: { 200: customersAtRiskResponse, ...errors },
      },
      config,
    },
    async (req) => {
      const p = principalOf(req);
      const stores = await scoped(p, req.query.store);
      const withNames = storesFor(p, 'view_customer_data') === 'all';
      const r = await loadAtRiskCustomers(db, { stores, limit: req.query.limit ?? 50, withNames });
      if (withNames && r.customers.length > 0)
        await audit(req).record({
          action: 'customer.personal_data_listed',
          target: { type: 'customer', id: `at-risk:${r.customers.length}` },
          after: { customerIds: r.customers.map((c) => c.customerId) },
        });
      return { ...r, withNames };
    },
  );

  app.get(
    `${API_BASE}/customers/:customerId/score`,
    {
      schema: {
        tags,
        summary:
          "One person's standing in the newest scored run (a merged id answers its survivor's): segment, P(buys again within the horizon), expected spend and 12-month value; score null when not scored",
        security: bearer,
        params: z.object({ customerId: z.uuid() }),
        response: { 200: customerScoreResponse, ...errors },
      },
      config: { access: { permission: 'view_customer_data', scope: 'chain' } },
    },
    async (req) => ({ score: await customerScore(db, await canonicalCustomer(db, req.params.customerId)) }),
  );
};
