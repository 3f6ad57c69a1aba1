import { queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
// Types only: the schemas stay on the server, so zod is not in the screen's bundle.
import type {
  AuditPage,
  BriefingResponse,
  CustomerSegmentsResponse,
  CustomersAtRiskResponse,
  DraftDetail,
  DraftListResponse,
  DrillResponse,
  ForecastResponse,
  InventoryResponse,
  MeResponse,
  PaceResponse,
  PromotionsResponse,
  ScopeResponse,
  StoreChoices,
  StoreSetup,
  TerminalListEntry,
  TillsResponse,
} from '../../contracts/index.ts';
import { ApiError, get, qs } from './api.ts';
import type { RoleRow, UserRow } from './people/grants.ts';

/** The contract's paths (src/dashboard/contract.ts DASHBOARD_PATHS), kept here to keep zod out. */
export const PATHS = {
  signIn: '/api/v1/auth/sign-in',
  signOut: '/api/v1/auth/sign-out',
  me: '/api/v1/auth/me',
  scope: '/api/v1/dashboard/scope',
  pace: '/api/v1/dashboard/ops/pace',
  inventory: '/api/v1/dashboard/ops/inventory',
  tills: '/api/v1/dashboard/ops/tills',
  forecast: '/api/v1/dashboard/insights/forecast',
  drill: '/api/v1/dashboard/insights/drill',
  briefing: '/api/v1/dashboard/briefing',
  promotions: '/api/v1/dashboard/insights/promotions',
  customers: '/api/v1/dashboard/insights/customers',
  customersAtRisk: '/api/v1/dashboard/insights/customers/at-risk',
  drafts: '/api/v1/replenish/drafts',
  draftList: '/api/v1/replenish/draft-list',
  audit: '/api/v1/audit',
  auditCsv: '/api/v1/audit.csv',
  users: '/api/v1/users',
  roles: '/api/v1/roles',
} as const;

export const draftPath = (id: string, rest = ''): string =>
  `${PATHS.drafts}/${encodeURIComponent(id)}${rest}`;

/** Who is signed in, or null (a 401 is an answer here, not an error). */
export const useMe = () =>
  useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<MeResponse | null> => {
      try {
        return await get<MeResponse>(PATHS.me);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export const scopeQuery = queryOptions({
  queryKey: ['scope'],
  queryFn: () => get<ScopeResponse>(PATHS.scope),
});
export const useScope = () => useQuery(scopeQuery);

export const usePace = (store: string | undefined) =>
  useQuery({ queryKey: ['pace', store], queryFn: () => get<PaceResponse>(`${PATHS.pace}${qs({ store })}`) });

export const useInventory = (store: string | undefined) =>
  useQuery({
    queryKey: ['inventory', store],
    queryFn: () => get<InventoryResponse>(`${PATHS.inventory}${qs({ store })}`),
  });

export const usePromotionPerformance = (store: string | undefined) =>
  useQuery({
    queryKey: ['promotions', store],
    queryFn: () => get<PromotionsResponse>(`${PATHS.promotions}${qs({ store })}`),
  });

export const useCustomerSegments = (store: string | undefined) =>
  useQuery({
    queryKey: ['customers', store],
    queryFn: () => get<CustomerSegmentsResponse>(`${PATHS.customers}${qs({ store })}`),
  });

export const useCustomersAtRisk = (store: string | undefined) =>
  useQuery({
    queryKey: ['customers-at-risk', store],
    queryFn: () => get<CustomersAtRiskResponse>(`${PATHS.customersAtRisk}${qs({ store })}`),
  });

export const useTills = (store: string | undefined) =>
  useQuery({
    queryKey: ['tills', store],
    queryFn: () => get<TillsResponse>(`${PATHS.tills}${qs({ store })}`),
  });

export interface ForecastAsk {
  store?: string;
  sku?: string;
  category?: string;
}
export const useForecast = (ask: ForecastAsk, enabled: boolean) =>
  useQuery({
    queryKey: ['forecast', ask.store, ask.sku, ask.category],
    queryFn: () => get<ForecastResponse>(`${PATHS.forecast}${qs({ ...ask })}`),
    enabled,
  });

export const useDrill = (store: string | undefined, category: string | undefined) =>
  useQuery({
    queryKey: ['drill', store, category],
    queryFn: () => get<DrillResponse>(`${PATHS.drill}${qs({ store, category })}`),
  });

export const useBriefing = (store: string | undefined) =>
  useQuery({
    queryKey: ['briefing', store],
    queryFn: () => get<BriefingResponse>(`${PATHS.briefing}${qs({ store })}`),
  });

/** Open drafts (the first 50), or every draft newest first; each page says how many there are. */
export const useDrafts = (status: 'draft' | undefined, limit: number) =>
  useQuery({
    queryKey: ['drafts', status, limit],
    queryFn: () => get<DraftListResponse>(`${PATHS.draftList}${qs({ status, limit })}`),
  });

export const useDraft = (id: string) =>
  useQuery({ queryKey: ['draft', id], queryFn: () => get<DraftDetail>(draftPath(id)) });

/** The audit log, newest first, a page of 50 at a time (`before` = the last seq seen). */
export const useAuditLog = (filters: Record<string, string>) =>
  useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      get<AuditPage>(`${PATHS.audit}${qs({ ...filters, limit: 50, before: pageParam ?? undefined })}`),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });

export const userPath = (username: string, rest: string): string =>
  `${PATHS.users}/${encodeURIComponent(username)}${rest}`;
export const rolePath = (id: string): string => `${PATHS.roles}/${encodeURIComponent(id)}`;

export const useUsers = () => useQuery({ queryKey: ['users'], queryFn: () => get<UserRow[]>(PATHS.users) });
export const useRoles = () => useQuery({ queryKey: ['roles'], queryFn: () => get<RoleRow[]>(PATHS.roles) });

// ---------------------------------------------------------------- back office: stores and tills

export const STORE_PATHS = {
  setup: '/api/v1/stores/setup',
  choices: '/api/v1/stores/choices',
  stores: '/api/v1/stores',
  terminals: '/api/v1/terminals',
  codes: '/api/v1/terminals/codes',
  setPassword: '/api/v1/auth/password-link',
} as const;

export const storePath = (id: string): string => `${STORE_PATHS.stores}/${encodeURIComponent(id)}`;
export const terminalPath = (id: string, rest: string): string =>
  `${STORE_PATHS.terminals}/${encodeURIComponent(id)}${rest}`;

export const useStoreSetups = () =>
  useQuery({ queryKey: ['store-setups'], queryFn: () => get<StoreSetup[]>(STORE_PATHS.setup) });
export const useStoreChoices = () =>
  useQuery({ queryKey: ['store-choices'], queryFn: () => get<StoreChoices>(STORE_PATHS.choices) });
export const useTerminals = (store: string) =>
  useQuery({
    queryKey: ['terminals', store],
    queryFn: () => get<TerminalListEntry[]>(`${STORE_PATHS.terminals}${qs({ store })}`),
  });
