import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { CustomerPoints, SaleResult } from '../../contracts/index.ts';
import { minorDigits } from '../../core/money.ts';
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
    staleTime: 5_000,
    retry: false,
  });
}

/**
 * After a sale the screen shows the balance the sale's answer gives: asking again at once would get
 * HQ's balance, which does not hold this sale until the till's events reach it.
 */
export function afterSale(
  qc: QueryClient,
  customerId: string,
  loyalty: NonNullable<SaleResult['loyalty']>,
): void {
  qc.setQueryData<CustomerPoints>(pointsKey(customerId), (p) =>
    p
      ? {
          ...p,
          balancePoints: loyalty.balanceAfter,
          tier: loyalty.tier,
          valueMinor: Math.floor(
            (Math.max(0, loyalty.balanceAfter) * 10 ** minorDigits(p.currency)) / p.redeemPointsPerUnit,
          ),
        }
      : p,
  );
}
