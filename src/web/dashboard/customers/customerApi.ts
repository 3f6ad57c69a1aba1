/**
 * The Customers view's side of HQ's customer routes: the answers' shapes (types only, so zod stays out
 * of the screen's bundle), the paths and the queries. Every read of personal fields is audited by HQ.
 */
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../api.ts';
import type { SearchAsk } from './customerSearch.ts';

export const CONSENT_PURPOSES = ['marketing_email', 'marketing_sms', 'analytics'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export interface ConsentChange {
  purpose: ConsentPurpose;
  granted: boolean;
  at: string;
  channel: string;
  storeId: string | null;
  actor: string | null;
}

export interface CustomerProfile {
  customerId: string;
  registeredStoreId: string | null;
  registeredAt: string | null;
  personalFieldsReadable: boolean;
  consents: Record<ConsentPurpose, boolean>;
  storesVisited: string[];
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  purchaseCount: number;
  spendMinor: number;
  currency: string | null;
  returnCount: number;
  refundMinor: number;
  mergedIds?: string[];
  personal?: { phone: string | null; email: string | null; name: string | null; cardNumber: string | null };
  consentHistory?: ConsentChange[];
}

export interface LoyaltyStanding {
  balancePoints: number;
  overdraft: boolean;
  tier: string;
  spend12mMinor: number;
}

export interface CustomerScore {
  asOf: string;
  horizonDays: number;
  currency: string;
  segment: string;
  pActive: number;
  expectedSpendMinor: number;
  clv12Minor: number;
}

/** Each place erasure visited, with what it found and removed there. */
export interface ErasureReport {
  customerId: string;
  alreadyErased: boolean;
  erasedAt: string;
  places: { place: string; found: number; removed: number; note?: string }[];
}

export interface CustomerSummary {
  customerId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  cardNumber: string | null;
  registeredStoreId: string | null;
  registeredAt: string | null;
  purchaseCount: number;
}

export interface DuplicatePair {
  customerIds: [string, string];
  score: number;
  kind: 'exact' | 'probable';
  reasons: string[];
  people: CustomerSummary[];
}

export const CUSTOMER_PATHS = {
  customers: '/api/v1/customers',
  search: '/api/v1/customers/search',
  duplicates: '/api/v1/customers/duplicates',
  dismiss: '/api/v1/customers/duplicates/dismiss',
  merge: '/api/v1/customers/merge',
  unmerge: '/api/v1/customers/unmerge',
  loyalty: '/api/v1/loyalty/customers',
} as const;

export const customerPath = (id: string, rest = ''): string =>
  `${CUSTOMER_PATHS.customers}/${encodeURIComponent(id)}${rest}`;

/** Every ask of one search, each person once, in the order found. */
export const useCustomerSearch = (asks: readonly SearchAsk[]) =>
  useQuery({
    queryKey: ['customer-search', asks],
    enabled: asks.length > 0,
    queryFn: async () => {
      const found = new Map<string, CustomerProfile>();
      for (const a of asks)
        for (const c of await get<CustomerProfile[]>(`${CUSTOMER_PATHS.search}${qs({ [a.kind]: a.value })}`))
          if (!found.has(c.customerId)) found.set(c.customerId, c);
      return [...found.values()];
    },
  });

export const useCustomer = (id: string) =>
  useQuery({ queryKey: ['customer', id], queryFn: () => get<CustomerProfile>(customerPath(id)) });

export const useLoyaltyStanding = (id: string) =>
  useQuery({
    queryKey: ['customer', id, 'loyalty'],
    queryFn: () => get<LoyaltyStanding>(`${CUSTOMER_PATHS.loyalty}/${encodeURIComponent(id)}`),
  });

export const useCustomerScore = (id: string) =>
  useQuery({
    queryKey: ['customer', id, 'score'],
    queryFn: async () => (await get<{ score: CustomerScore | null }>(customerPath(id, '/score'))).score,
  });

/** Asked only when the reviewer opens the queue: HQ compares every profile to build it. */
export const useDuplicates = (enabled: boolean) =>
  useQuery({
    queryKey: ['customer-duplicates'],
    enabled,
    queryFn: () => get<DuplicatePair[]>(`${CUSTOMER_PATHS.duplicates}${qs({ limit: 100 })}`),
  });
