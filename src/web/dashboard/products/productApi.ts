import { keepPreviousData, useQuery } from '@tanstack/react-query';
// Types only: the schemas stay on the server, so zod is not in the screen's bundle.
import type { ProductDetail, ProductFacets, ProductListResponse } from '../../../contracts/index.ts';
import { get, qs } from '../api.ts';

/** HQ's product API (src/apps/hq/product-routes.ts) as the products view calls it. */
export const PRODUCT_PATHS = {
  products: '/api/v1/catalog/products',
  facets: '/api/v1/catalog/product-facets',
  parents: '/api/v1/catalog/parents',
  categories: '/api/v1/catalog/categories',
  bulk: '/api/v1/catalog/prices/bulk',
} as const;

export const productPath = (sku: string, rest = ''): string =>
  `${PRODUCT_PATHS.products}/${encodeURIComponent(sku)}${rest}`;

/** The list's filters as the URL keeps them (so a reload shows the same page). */
export interface ProductFilters {
  q?: string | undefined;
  category?: string | undefined;
  status?: string | undefined;
  supplier?: string | undefined;
  taxClass?: string | undefined;
}

export const PAGE_SIZE = 50;

export const useProducts = (filters: ProductFilters, offset: number) =>
  useQuery({
    queryKey: ['products', filters, offset],
    queryFn: () =>
      get<ProductListResponse>(`${PRODUCT_PATHS.products}${qs({ ...filters, limit: PAGE_SIZE, offset })}`),
    // Typing in the search box keeps the last page on screen until the next one arrives.
    placeholderData: keepPreviousData,
  });

export const useFacets = () =>
  useQuery({ queryKey: ['product-facets'], queryFn: () => get<ProductFacets>(PRODUCT_PATHS.facets) });

export const useProduct = (sku: string | undefined) =>
  useQuery({
    queryKey: ['product', sku],
    queryFn: () => get<ProductDetail>(productPath(sku ?? '')),
    enabled: sku !== undefined,
  });

export interface ParentRow {
  id: string;
  name: string;
  optionNames: string[];
  variantCount: number;
}
export const useParents = () =>
  useQuery({ queryKey: ['product-parents'], queryFn: () => get<ParentRow[]>(PRODUCT_PATHS.parents) });
