/**
 * The till's register API as this screen uses it (see the till's /openapi.json). Kept by hand and
 * loose where the back end is still growing: fields the screen can live without are optional.
 */
export interface AppliedDiscount {
  id: string;
  reason: string;
  amountMinor: number;
  basket: boolean;
  percentBp?: number;
  approvedBy?: string;
}

export interface CartLine {
  lineNo: number;
  sku: string;
  name: string;
  qty: number;
  unitPriceMinor: number;
  taxRateBp: number;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
  listMinor?: number;
  discountMinor?: number;
  discounts?: AppliedDiscount[];
  measure?: { amount: number; unit: string; per: number };
  priceOverride?: { fromMinor: number; reason: string };
}

export interface CartDiscount {
  id: string;
  /** absent: a basket discount */
  lineNo?: number;
  amountMinor?: number;
  percentBp?: number;
  reason: string;
  approvedBy?: string;
}

export interface Cart {
  cartId: string;
  currency: string;
  taxInclusive: boolean;
  lines: CartLine[];
  discounts?: CartDiscount[];
  customerId?: string;
  totals: {
    listMinor?: number;
    netMinor: number;
    taxMinor: number;
    grossMinor: number;
    discountMinor?: number;
    byRate: { taxRateBp: number; netMinor: number; taxMinor: number }[];
  };
  parkedAt?: string;
}

export interface Terminal {
  storeId: string;
  terminalId: string;
  store: { storeId?: string; name?: string; currency: string; timeZone?: string } | null;
  catalog: { loaded: boolean; products: number };
}

export interface Shift {
  shiftId: string;
  cashierId: string;
  openingFloatMinor: number;
  currency: string;
  openedAt: string;
}

export interface SyncStatus {
  /** `conflict`: HQ refused events it cannot hold and the till stopped sending (it keeps selling). */
  state?: 'synced' | 'sending' | 'failing' | 'conflict';
  pending: number;
  oldestAgeSeconds: number;
  lastSyncAt: string | null;
  lastError: string | null;
  conflicts?: { seq: number; reason: string }[];
  rollback?: { hqSeq: number; tillSeq: number; detectedAt: string } | null;
  /** What to do next, when someone has to act. */
  action?: string | null;
}

export interface Item {
  sku: string;
  name: string;
  priceMinor: number;
  barcodes: string[];
  soldBy?: 'each' | 'weight';
}

export interface Customer {
  customerId: string;
  phone?: string;
  email?: string;
  name?: string;
  marketingConsent: boolean;
}

export interface Balance {
  kind: 'gift_card' | 'store_credit';
  last4: string;
  currency: string;
  balanceMinor: number;
}

export interface Tender {
  kind: string;
  amountMinor: number;
  tenderedMinor?: number;
  changeMinor?: number;
  maskedPan?: string;
  brand?: string;
  last4?: string;
}

export interface SaleResult {
  saleId: string;
  receiptNo: string;
  currency: string;
  grossMinor: number;
  changeMinor: number;
  tenders: Tender[];
}

export interface ReturnableLine extends CartLine {
  returnedQty: number;
  returnableQty: number;
}

export interface ReturnableSale {
  saleId: string;
  receiptNo: string;
  currency: string;
  grossMinor: number;
  occurredAt: string;
  lines: ReturnableLine[];
  tenders: Tender[];
}

export interface ReturnResult {
  returnId: string;
  refundMinor: number;
  refunds: { kind: string; amountMinor: number; maskedPan?: string; last4?: string }[];
  failedRefunds?: { kind: string; amountMinor: number; maskedPan?: string; reason?: string }[];
  /** a new store-credit voucher: shown once, to print or write down */
  storeCreditCode?: string;
}

export interface ParkedCart {
  cartId: string;
  label?: string;
  itemCount: number;
  grossMinor: number;
  currency: string;
  parkedAt: string;
}

interface Total {
  count: number;
  totalMinor: number;
}

export interface ShiftReport {
  kind: 'X' | 'Z';
  zNumber?: number;
  cashierId: string;
  currency: string;
  openedAt: string;
  asOf: string;
  sales: { count: number; netMinor: number; taxMinor: number; grossMinor: number };
  taxByRate: { taxRateBp: number; netMinor: number; taxMinor: number; grossMinor: number }[];
  tenders: { kind: string; count: number; amountMinor: number }[];
  cashDrops: Total;
  paidOuts: Total;
  noSales: { count: number };
  returns: Total & { cashMinor: number; cardMinor: number };
  voids: Total;
  discounts: Total;
  cash: {
    openingFloatMinor: number;
    cashSalesMinor: number;
    cashDropsMinor: number;
    paidOutsMinor: number;
    cashRefundsMinor: number;
    expectedMinor: number;
    countedMinor?: number;
    differenceMinor?: number;
  };
}

export interface ShiftClosed {
  zNumber: number;
  report: ShiftReport;
}
