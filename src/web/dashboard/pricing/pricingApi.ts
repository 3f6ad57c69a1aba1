import { useQuery } from '@tanstack/react-query';
import type { PriceEntryWire, PromotionInput, StoreInfo } from '../../../contracts/index.ts';
import { get, qs } from '../api.ts';

/**
 * HQ's catalog API as the Prices view uses it: the same routes the CLI calls (catalog-routes.ts,
 * pricebook-routes.ts). Paths live here, one constant each, so a route that moves is one edit.
 */
const C = '/api/v1/catalog';
export const PRICING_PATHS = {
  zones: `${C}/zones`,
  prices: `${C}/prices`,
  scheduled: `${C}/prices/scheduled`,
  promotions: `${C}/promotions`,
  promotionRecords: `${C}/promotions/all`,
  quote: `${C}/quote`,
  categories: `${C}/categories`,
  stores: '/api/v1/stores',
} as const;
/**
 * Product search by SKU or name (product-routes.ts, being added). Until HQ answers it, the view looks a
 * product up by its exact SKU (`productPrices`), so only this line changes when it lands.
 */
export const PRODUCT_SEARCH_PATH = `${C}/products`;

export const productPricesPath = (sku: string): string => `${C}/products/${encodeURIComponent(sku)}/prices`;
export const priceEndPath = (id: number): string => `${C}/prices/${id}/end`;
export const priceEntryPath = (id: number): string => `${C}/prices/${id}`;
export const storeZonePath = (storeId: string): string =>
  `/api/v1/stores/${encodeURIComponent(storeId)}/zone`;
export const promotionPath = (id: string): string => `${C}/promotions/${encodeURIComponent(id)}`;
export const promotionHistoryPath = (id: string): string => `${promotionPath(id)}/history`;

export type PriceEntry = PriceEntryWire;
export interface Zone {
  id: string;
  name: string;
  storeIds: string[];
}
export interface ScheduledPrices {
  entries: (PriceEntry & { productName: string })[];
  total: number;
  truncated: boolean;
}
export interface PromotionRecord {
  definition: PromotionInput;
  active: boolean;
  version: number;
  updatedAt: string;
}
export interface PromotionVersion {
  promotionId: string;
  version: number;
  definition: PromotionInput;
  active: boolean;
  changedAt: string;
  changedBy: string;
}
export interface ProductHit {
  sku: string;
  name: string;
}
export interface Category {
  id: string;
  name: string;
  path: string[];
}

/** What POST /catalog/quote answers (the pricing engine's PricedCart, the parts the preview shows). */
export interface Quote {
  currency: string;
  lines: {
    lineId: string;
    sku: string;
    qty: number;
    unitPriceMinor: number;
    listMinor: number;
    discountMinor: number;
    amountMinor: number;
    taxMinor: number;
    discounts: { id: string; name: string; amountMinor: number }[];
  }[];
  listMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
  promotions: { promotionId: string; name: string; amountMinor: number }[];
  coupons: { code: string; applied: boolean; reason?: string }[];
}

export const useZones = () =>
  useQuery({ queryKey: ['pricing', 'zones'], queryFn: () => get<Zone[]>(PRICING_PATHS.zones) });
export const useStores = () =>
  useQuery({ queryKey: ['pricing', 'stores'], queryFn: () => get<StoreInfo[]>(PRICING_PATHS.stores) });
export const useCategories = () =>
  useQuery({ queryKey: ['pricing', 'categories'], queryFn: () => get<Category[]>(PRICING_PATHS.categories) });
export const useProductPrices = (sku: string | undefined) =>
  useQuery({
    queryKey: ['pricing', 'prices', sku],
    queryFn: () => get<PriceEntry[]>(productPricesPath(sku ?? '')),
    enabled: sku !== undefined,
  });
export const useScheduled = () =>
  useQuery({
    queryKey: ['pricing', 'scheduled'],
    queryFn: () => get<ScheduledPrices>(`${PRICING_PATHS.scheduled}${qs({ limit: 200 })}`),
  });
export const usePromotionRecords = () =>
  useQuery({
    queryKey: ['pricing', 'promotions'],
    queryFn: () => get<PromotionRecord[]>(PRICING_PATHS.promotionRecords),
  });
export const usePromotionHistory = (id: string | undefined) =>
  useQuery({
    queryKey: ['pricing', 'history', id],
    queryFn: () => get<PromotionVersion[]>(promotionHistoryPath(id ?? '')),
    enabled: id !== undefined,
  });

/**
 * Products matching a text: HQ's search when it has one; else (an HQ without the route) the text read
 * as an exact SKU, kept when HQ knows the product (its price at a store answers rather than 404).
 */
export async function searchProducts(q: string, storeId: string | undefined): Promise<ProductHit[]> {
  try {
    const r = await get<ProductHit[] | { products: ProductHit[] }>(`${PRODUCT_SEARCH_PATH}${qs({ q })}`);
    return Array.isArray(r) ? r : r.products;
  } catch {
    const sku = q.trim();
    if (!sku || !storeId) return [];
    try {
      await get<unknown>(`${C}/products/${encodeURIComponent(sku)}/price${qs({ store: storeId })}`);
      return [{ sku, name: sku }];
    } catch {
      return [];
    }
  }
}
