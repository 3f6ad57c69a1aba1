import type { Logger } from 'pino';
import type { CatalogProduct, StoreInfo } from '../../contracts/index.ts';
import type { Clock, EventEnvelope } from '../../core/index.ts';
import { conflict, invalid, notFound, TallyError } from '../../core/index.ts';
import type { Customer, Customers } from '../../customers/index.ts';
import type { TillLoyalty } from '../../customers/till/index.ts';
import type { PaymentProvider } from '../../payments/index.ts';
import type { Customer as PricingCustomer, StorePricing } from '../../pricing/index.ts';
import type { StoredValue } from '../../stored-value/till/index.ts';
import type { Ledger } from '../../sync/index.ts';
import { SALES_EVENT_TYPES, type SaleCompleted, type ShiftOpened } from '../events.ts';
import type { Approvals } from './approvals.ts';
import { type Cart, type CartView, priceCart } from './cart.ts';
import type { RegisterConfig } from './register-config.ts';

/** Where the register finds products and the store's settings: the catalog cache on a till. */
export interface ItemSource {
  lookup(code: string): CatalogProduct | undefined;
  store(): StoreInfo | undefined;
  /** Candidates for a free-text search (name, SKU, barcode); ranking is the register's. */
  search?(q: string, limit: number): CatalogProduct[];
  /** The store's promotions and tax jurisdictions as published by HQ; without it, product rates only. */
  pricing?(): StorePricing | undefined;
  /** The price of a SKU in force at an instant (the pricebook); without it, lookup's price. */
  priceAt?(sku: string, at: Date): number | undefined;
}

export interface ShiftView extends ShiftOpened {
  openedAt: string;
  seq: number;
}

/** What every part of the register shares: storage, services and the small checks they all make. */
export interface RegisterContext {
  ledger: Ledger;
  items: ItemSource;
  provider: PaymentProvider;
  clock: Clock;
  logger: Logger;
  config: RegisterConfig;
  approvals: Approvals;
  storedValue: StoredValue;
  customers: Customers;
  loyalty: TillLoyalty;
  authorizeTimeoutMs: number;
  /** Carts whose payment is in flight: edits or a second "complete" would race the card reader. */
  paying: Set<string>;
  /** Sales with a return in flight: a second return of the same sale waits for the refund to settle. */
  returning: Set<string>;
  requireStore(): StoreInfo;
  loadCart(cartId: string): Cart;
  saveCart(cart: Cart): void;
  isParked(cartId: string): boolean;
  refuseParked(cartId: string): void;
  refusePaying(cartId: string): void;
  isCartPresent(cartId: string): boolean;
  currentShift(): ShiftView | undefined;
  requireOpen(what: string): ShiftView;
  shiftEvents(open: ShiftView): EventEnvelope[];
  sale(saleId: string): EventEnvelope<SaleCompleted>;
  nextCounter(name: string): number;
  /**
   * Prices a cart with the store's promotions and tax, its customer and coupons, at `at` (default now
   * on the till's clock): what the customer sees and what the sale records.
   */
  priceCart(cart: Cart, at?: Date): CartView;
}

/**
 * What the engine knows of a till customer. Registering at the till (phone or email) is joining the
 * loyalty scheme; the segment is the one HQ's newest scoring run gave them, as the till last pulled it
 * (so offline too), named as the scorer names it ("at risk"): what a promotion's audience lists.
 */
export const pricingCustomer = (c: Customer): PricingCustomer => ({
  id: c.customerId,
  loyaltyMember: true,
  segments: c.segment ? [c.segment] : [],
});

export const notLoaded = (): TallyError =>
  new TallyError('unavailable', 'code: the catalog is not loaded yet; waiting for HQ', 'code');

export const checkReason = (reason: unknown, field = 'reason'): string => {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw invalid(field, 'a reason is required and must not be empty');
  return reason.trim();
};

export const checkAmount = (amountMinor: unknown, field = 'amountMinor'): number => {
  if (amountMinor === undefined) throw invalid(field, 'is required');
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    throw invalid(field, `must be a whole number of minor units above 0, got ${String(amountMinor)}`);
  return amountMinor;
};

export function createContext(
  base: Omit<
    RegisterContext,
    | 'paying'
    | 'returning'
    | 'requireStore'
    | 'loadCart'
    | 'saveCart'
    | 'isParked'
    | 'refuseParked'
    | 'refusePaying'
    | 'isCartPresent'
    | 'currentShift'
    | 'requireOpen'
    | 'shiftEvents'
    | 'sale'
    | 'nextCounter'
    | 'priceCart'
  >,
): RegisterContext {
  const { ledger, items, clock } = base;
  const db = ledger.db;
  const q = {
    getCart: db.prepare('SELECT body FROM carts WHERE id = ?').pluck(),
    updateCart: db.prepare('UPDATE carts SET body = ?, updated_at = ? WHERE id = ?'),
    parkedAt: db.prepare('SELECT parked_at FROM carts WHERE id = ?').pluck(),
    nextCounter: db
      .prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .pluck(),
  };
  const paying = new Set<string>();
  const durable = Number(db.pragma('synchronous', { simple: true }));

  const currentShift = (): ShiftView | undefined => {
    const last = ledger.latestOf([SALES_EVENT_TYPES.shiftOpened, SALES_EVENT_TYPES.shiftClosed]);
    if (!last || last.type !== SALES_EVENT_TYPES.shiftOpened) return undefined;
    return { ...(last.payload as ShiftOpened), openedAt: last.occurredAt, seq: last.seq };
  };
  const isParked = (cartId: string): boolean => {
    const at = q.parkedAt.get(cartId) as string | null | undefined;
    return at !== undefined && at !== null;
  };

  return {
    ...base,
    paying,
    returning: new Set<string>(),
    requireStore() {
      const s = items.store();
      if (!s) throw notLoaded();
      return s;
    },
    loadCart(cartId) {
      const body = q.getCart.get(cartId) as string | undefined;
      if (body === undefined) throw notFound(`cart ${cartId}`, 'cartId');
      return JSON.parse(body) as Cart;
    },
    saveCart(cart) {
      const write = () => q.updateCart.run(JSON.stringify(cart), clock.now().toISOString(), cart.id);
      if (db.inTransaction) return void write();
      // A cart edit is working state, not a record: in WAL mode synchronous=NORMAL still survives a killed
      // process (only power loss can drop the last scans), and it saves the fsync that made a scan cost
      // ~10 ms instead of ~0.2 ms (bench/register-scan.ts). Ledger appends keep the connection's setting.
      db.pragma('synchronous = NORMAL');
      try {
        write();
      } finally {
        db.pragma(`synchronous = ${durable}`);
      }
    },
    isParked,
    refuseParked(cartId) {
      if (isParked(cartId)) throw conflict(`cart ${cartId} is parked; resume it first`, 'cartId');
    },
    refusePaying(cartId) {
      if (paying.has(cartId)) throw conflict(`cart ${cartId} is being paid`, 'cartId');
    },
    isCartPresent: (cartId) => q.getCart.get(cartId) !== undefined,
    currentShift,
    requireOpen(what) {
      const open = currentShift();
      if (!open) throw conflict(`no shift is open; open one before ${what}`, 'shift');
      return open;
    },
    /** The open shift's events, from its shift.opened on; the report keeps those of this shift. */
    shiftEvents: (open) =>
      ledger
        .range(open.seq, Number.MAX_SAFE_INTEGER)
        .filter((e) => (e.payload as { shiftId?: unknown }).shiftId === open.shiftId),
    sale(saleId) {
      const e = ledger.saleById(saleId);
      if (!e) throw notFound(`sale ${saleId}`, 'saleId');
      return e as EventEnvelope<SaleCompleted>;
    },
    nextCounter: (name) => q.nextCounter.get(name) as number,
    priceCart(cart, at) {
      const c = cart.customerId ? base.customers.byId(cart.customerId) : undefined;
      return priceCart(cart, {
        pricing: items.pricing?.(),
        at: (at ?? clock.now()).toISOString(),
        customer: c ? pricingCustomer(c) : undefined,
      });
    },
  };
}
