/**
 * Permissions are data: a fixed list of named permissions, granted to roles (editable at HQ, these are
 * the defaults a new HQ starts with), each grant of a role to a user scoped to stores, a district or the
 * chain. HQ routes and till actions each name the one permission they need; `access` decides. Browser
 * safe: zod and constants only, so the screens can show what a role may do.
 */
import { z } from 'zod';

export const PERMISSIONS = [
  'sell',
  'refund_with_receipt',
  'refund_without_receipt',
  'discount_over_threshold',
  'price_override',
  'no_sale',
  'void_sale',
  'cash_movement',
  'close_shift',
  'adjust_stock',
  'receive_stock',
  'transfer_stock',
  'count_stock',
  'edit_catalog',
  'edit_prices',
  'edit_promotions',
  'approve_purchase_orders',
  'manage_users',
  'manage_stores',
  'view_reports',
  'view_customer_data',
  'export_data',
  'erase_customer_data',
  'merge_customers',
  'view_audit_log',
] as const;
export const permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permission>;

/** What each permission lets a person do, for the screens and `tally users roles`. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  sell: 'ring up sales and take payment',
  refund_with_receipt: 'refund against a receipt',
  refund_without_receipt: 'refund without a receipt',
  discount_over_threshold: 'give a discount above the till threshold',
  price_override: 'override a price',
  no_sale: 'open the drawer without a sale',
  void_sale: 'void a sale or line',
  cash_movement: 'cash drops and paid-outs',
  close_shift: 'close a shift (Z report)',
  adjust_stock: 'adjust stock',
  receive_stock: 'receive deliveries',
  transfer_stock: 'transfer stock between stores',
  count_stock: 'count stock',
  edit_catalog: 'edit products and the catalog',
  edit_prices: 'edit prices and pricebooks',
  edit_promotions: 'edit promotions',
  approve_purchase_orders: 'approve, edit or reject purchase orders',
  manage_users: 'manage users, roles and scopes',
  manage_stores: 'add stores, enroll and revoke tills',
  view_reports: 'read sales, stock, forecasts and reports',
  view_customer_data: "see customers' personal data",
  export_data: 'export data',
  erase_customer_data: "erase a customer's data",
  merge_customers: 'merge customer profiles that are one person, and undo a merge',
  view_audit_log: 'read the audit log',
};

/** The permissions a till checks itself, offline; everything else is decided at HQ. */
export const TILL_PERMISSIONS = [
  'sell',
  'refund_with_receipt',
  'refund_without_receipt',
  'discount_over_threshold',
  'price_override',
  'no_sale',
  'void_sale',
  'cash_movement',
  'close_shift',
  'count_stock',
  'receive_stock',
] as const satisfies readonly Permission[];
export type TillPermission = (typeof TILL_PERMISSIONS)[number];

/** Role ids: lower-case words joined by "_"; the defaults below, and any a head office adds. */
export const roleId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    'use lower-case letters, digits and "_" (at most 40), starting with a letter',
  );

/** Where a grant applies: one store, the stores of one district, or every store. */
export const grantScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('store'), id: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('district'), id: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('chain') }),
]);
export type GrantScope = z.infer<typeof grantScope>;

/** A role given to a user over a scope. A user may hold several. */
export const grant = z.object({ role: roleId, scope: grantScope });
export type Grant = z.infer<typeof grant>;

const CASHIER: readonly Permission[] = ['sell', 'refund_with_receipt'];
const SHIFT_LEAD: readonly Permission[] = [
  ...CASHIER,
  'refund_without_receipt',
  'discount_over_threshold',
  'price_override',
  'no_sale',
  'void_sale',
  'cash_movement',
  'close_shift',
  'count_stock',
  'view_reports',
];
const INVENTORY_CLERK: readonly Permission[] = [
  'adjust_stock',
  'receive_stock',
  'transfer_stock',
  'count_stock',
  'view_reports',
];
const STORE_MANAGER: readonly Permission[] = [
  ...SHIFT_LEAD,
  ...INVENTORY_CLERK.filter((p) => !SHIFT_LEAD.includes(p)),
  'approve_purchase_orders',
  'manage_users',
  'view_customer_data',
  'export_data',
  'view_audit_log',
];
const DISTRICT_MANAGER: readonly Permission[] = [...STORE_MANAGER, 'edit_prices', 'edit_promotions'];

/** The roles a new HQ starts with. Head office may edit them or add others; the ids stay. */
export const DEFAULT_ROLES: Readonly<Record<string, { name: string; permissions: readonly Permission[] }>> = {
  cashier: { name: 'Cashier', permissions: CASHIER },
  shift_lead: { name: 'Shift lead', permissions: SHIFT_LEAD },
  store_manager: { name: 'Store manager', permissions: STORE_MANAGER },
  inventory_clerk: { name: 'Inventory clerk', permissions: INVENTORY_CLERK },
  district_manager: { name: 'District manager', permissions: DISTRICT_MANAGER },
  finance: { name: 'Finance', permissions: ['view_reports', 'export_data', 'view_audit_log'] },
  hq_admin: { name: 'Head-office admin', permissions: PERMISSIONS },
};

/** Earlier releases' four fixed roles, and the default role each becomes. */
export const LEGACY_ROLES: Readonly<Record<string, string>> = {
  associate: 'cashier',
  store_manager: 'store_manager',
  district_manager: 'district_manager',
  admin: 'hq_admin',
};
