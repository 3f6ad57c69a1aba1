import { z } from 'zod';
import { API_BASE } from './api.ts';

/** The dashboard's Customers panel: segments from HQ's stored customer scores, and who is at risk. */
export const CUSTOMER_INTEL_PATHS = {
  segments: `${API_BASE}/dashboard/insights/customers`,
  atRisk: `${API_BASE}/dashboard/insights/customers/at-risk`,
} as const;

export const customerScoreRun = z.object({
  runId: z.string(),
  asOf: z.string(),
  horizonDays: z.number().int(),
  /** 'done', or 'not_enough_history' with the reason in `message`. */
  status: z.string(),
  message: z.string().nullable(),
  finishedAt: z.string().nullable(),
  customers: z.number().int(),
  currency: z.string(),
});

export const customerSegmentsResponse = z.object({
  run: customerScoreRun.nullable(),
  previous: customerScoreRun.nullable(),
  segments: z.array(
    z.object({
      segment: z.string(),
      description: z.string(),
      customers: z.number().int(),
      /** Customers in the segment in the previous scored run (same stores); null without one. */
      previousCustomers: z.number().int().nullable(),
      expectedSpendMinor: z.number().int(),
      clv12Minor: z.number().int(),
      meanPActive: z.number(),
    }),
  ),
  /** Customers who changed segment since the previous run, the largest moves first. */
  flows: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      customers: z.number().int(),
      expectedSpendMinor: z.number().int(),
    }),
  ),
});
export type CustomerSegmentsResponse = z.infer<typeof customerSegmentsResponse>;

export const customersAtRiskResponse = z.object({
  run: customerScoreRun.nullable(),
  /** Whether names are shown: only to a caller holding view_customer_data over the chain. */
  withNames: z.boolean(),
  customers: z.array(
    z.object({
      customerId: z.string(),
      shortCode: z.string(),
      segment: z.string(),
      pActive: z.number(),
      expectedSpendMinor: z.number().int(),
      clv12Minor: z.number().int(),
      lastStoreId: z.string().nullable(),
      lastPurchaseDate: z.string().nullable(),
      name: z.string().nullable().optional(),
    }),
  ),
});
export type CustomersAtRiskResponse = z.infer<typeof customersAtRiskResponse>;
