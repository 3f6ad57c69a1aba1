import { useQuery } from '@tanstack/react-query';
import type { CustomerPoints } from '../../contracts/index.ts';
import { api } from './api.ts';

export const pointsKey = (customerId: string | undefined) => ['points', customerId] as const;

/**
 * The attached customer's points and tier (HQ's, or the till's last known "as of"); shared by the
 * cart, the customer panel and the payment panel through one query, refreshed after each sale.
 */
export function useCustomerPoints(customerId: string | undefined, available = true) {
  return useQuery({
    queryKey: pointsKey(customerId),
    queryFn: () => api<CustomerPoints>('GET', `/api/v1/customers/${encodeURIComponent(customerId!)}/points`),
    enabled: Boolean(customerId) && available,
    staleTime: 30_000,
    retry: false,
  });
}
