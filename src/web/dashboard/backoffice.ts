import type { SessionUser } from '../../contracts/index.ts';

/**
 * Which back-office views a user sees: each needs the permission its changes need at some store (HQ
 * decides every request again, so this only keeps screens a user cannot use out of the way).
 */
export const mayEditProducts = (user: SessionUser): boolean => user.permissions.edit_catalog !== undefined;
export const mayEditPricing = (user: SessionUser): boolean =>
  user.permissions.edit_prices !== undefined || user.permissions.edit_promotions !== undefined;
export const mayManageStores = (user: SessionUser): boolean => user.permissions.manage_stores !== undefined;
