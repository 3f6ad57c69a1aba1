import type { Logger } from 'pino';
import { type CatalogProduct, type CustomerPoints, storeLocale } from '../../contracts/index.ts';
import type { Clock, EventEnvelope } from '../../core/index.ts';
import { notFound } from '../../core/index.ts';
import {
  type ConsentPurpose,
  type Customer,
  type CustomerInput,
  createCustomers,
  pointsValueMinor,
  type RemoteCustomerLookup,
} from '../../customers/index.ts';
import { createTillLoyalty, type LoyaltyAuthority } from '../../customers/till/index.ts';
import type { PaymentProvider, ResolveReport } from '../../payments/index.ts';
import type { StoredValueAuthority } from '../../stored-value/till/index.ts';
import { createStoredValue, type StoredValueAccount } from '../../stored-value/till/index.ts';
import type { Ledger } from '../../sync/index.ts';
import {
  type GiftCardSold,
  receiptReprintedSchema,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type SaleReturned,
  type ShiftClosed,
} from '../events.ts';
import { type Approvals, createApprovals, type ManagerApproval } from './approvals.ts';
import type { CartView } from './cart.ts';
import {
  type AddLineInput,
  cartActions,
  type DiscountInput,
  type ParkedCart,
  type VoidSaleResult,
} from './cart-actions.ts';
import { checkoutActions, paymentActions, type SaleResult } from './checkout.ts';
import { type CloseShiftInput, type DrawerInput, type DrawerResult, drawerActions } from './drawer.ts';
import { rankItems } from './item-search.ts';
import { loyaltyCheckout } from './loyalty-checkout.ts';
import { pinLockout } from './pin-lockout.ts';
import type { PromotionUseAuthority } from './promotion-use-client.ts';
import { createPromotionUses } from './promotion-uses.ts';
import { receiptEscPos, receiptText } from './receipt.ts';
import { defaultRegisterConfig, type RegisterConfig } from './register-config.ts';
import { createContext, type ItemSource, type ShiftView } from './register-context.ts';
import {
  giftCardReceiptEscPos,
  giftCardReceiptText,
  returnReceiptEscPos,
  returnReceiptText,
} from './return-receipt.ts';
import {
  type ExchangeInput,
  type NoReceiptReturnInput,
  type RefundTo,
  type ReturnableSale,
  type ReturnInput,
  type ReturnResult,
  returnActions,
} from './returns.ts';
import type { ShiftReport } from './shift-report.ts';
import type { TenderRequest } from './tenders.ts';
import { type TillSessions, tillSessions } from './till-sessions.ts';
import { type TillUserDirectory, type TillUserSource, tillUserDirectory } from './till-users.ts';

export type { AddLineInput, DiscountInput, ParkedCart, VoidSaleResult } from './cart-actions.ts';
export type { SaleResult } from './checkout.ts';
export type { CloseShiftInput, DrawerInput, DrawerResult } from './drawer.ts';
export type { ItemSource, ShiftView } from './register-context.ts';
export type {
  ExchangeInput,
  NoReceiptReturnInput,
  RefundTo,
  ReturnableSale,
  ReturnInput,
  ReturnResult,
} from './returns.ts';

export interface ReceiptRequest {
  /** A reprint, marked COPY and recorded as receipt.reprinted. */
  copy?: boolean;
  /** A gift receipt without prices (recorded like a reprint). */
  gift?: boolean;
}

export interface ItemView extends CatalogProduct {
  soldBy: 'each' | 'weight';
}

/**
 * The register: the till's whole day, composed from parts named for what they hold — drawer and
 * shifts (drawer.ts), the open cart (carts.ts), paying (checkout.ts), returns and exchanges
 * (returns.ts), gift cards and store credit (stored-value.ts), manager approval (approvals.ts).
 */
export interface Register {
  readonly config: RegisterConfig;
  readonly approvals: Approvals;
  /** Who may act at this till: HQ's users from the catalog cache, then the till's local users. */
  readonly users: TillUserDirectory;
  /** Sign-in at the register: sessions, idle lock, switch of cashier. */
  readonly sessions: TillSessions;
  lookupItem(code: string): ItemView;
  searchItems(q: string, limit?: number): ItemView[];
  openShift(input: { cashierId: string; openingFloatMinor: number }): ShiftView;
  currentShift(): ShiftView | undefined;
  /** Closes the open shift and returns the numbered Z report with the shift.closed payload. */
  closeShift(input: CloseShiftInput): ShiftClosed & { seq: number; report: ShiftReport };
  cashDrop(input: DrawerInput): DrawerResult;
  paidOut(input: DrawerInput): DrawerResult;
  noSale(input: DrawerInput): DrawerResult;
  /** The open shift's figures so far; writes nothing. */
  xReport(): ShiftReport;
  createCart(): CartView;
  getCart(cartId: string): CartView;
  addLine(cartId: string, code: string, qty?: number, opts?: Omit<AddLineInput, 'code' | 'qty'>): CartView;
  changeQty(cartId: string, lineNo: number, qty: number): CartView;
  /** Removes a line and appends cart.line_voided in the same transaction. */
  removeLine(cartId: string, lineNo: number): CartView;
  addDiscount(cartId: string, input: DiscountInput): CartView;
  removeDiscount(cartId: string, discountId: string): CartView;
  /** Presents a coupon code; the cart's `coupons` says whether it applied and, if not, why. */
  addCoupon(cartId: string, code: unknown): CartView;
  removeCoupon(cartId: string, code: string): CartView;
  overridePrice(
    cartId: string,
    lineNo: number,
    input: { unitPriceMinor?: number; reason?: string; managerPin?: ManagerApproval | undefined },
  ): CartView;
  setCustomer(cartId: string, customerId: string | null): CartView;
  park(cartId: string, label?: string): CartView & { parkedAt: string; label: string | undefined };
  resume(cartId: string): CartView;
  parkedCarts(): ParkedCart[];
  voidSale(cartId: string, reason: unknown): VoidSaleResult;
  complete(cartId: string, tenders: TenderRequest[]): Promise<SaleResult>;
  sale(saleId: string): EventEnvelope<SaleCompleted>;
  saleByReceipt(receiptNo: string): ReturnableSale;
  returnItems(input: ReturnInput): Promise<ReturnResult>;
  returnWithoutReceipt(input: NoReceiptReturnInput): ReturnResult;
  voidPaidSale(input: {
    saleId?: string;
    receiptNo?: string;
    reason?: string;
    refundTo?: RefundTo;
    managerPin?: ManagerApproval | undefined;
  }): Promise<ReturnResult>;
  exchange(input: ExchangeInput): Promise<{ sale: SaleResult; return: ReturnResult }>;
  sellGiftCard(input: {
    code?: string | undefined;
    amountMinor?: number | undefined;
    tenders: TenderRequest[];
    load: boolean;
  }): Promise<GiftCardSold & { seq: number; eventId: string; code?: string }>;
  balance(code: string): StoredValueAccount;
  /** The balance as HQ knows it when it answers (any till's card), else as this till last knew it. */
  checkBalance(code: string): Promise<StoredValueAccount & { source: 'hq' | 'till' }>;
  createCustomer(input: CustomerInput): Customer;
  findCustomer(input: { phone?: string; email?: string; cardNumber?: string }): Customer | undefined;
  /** Here, else at HQ when it answers (registered at another store; then cached here). */
  findCustomerAnywhere(input: {
    phone?: string;
    email?: string;
    cardNumber?: string;
  }): Promise<Customer | undefined>;
  /** The customer's points and tier: HQ's when it answers, else the till's last known (with `asOf`). */
  customerPoints(customerId: string): Promise<CustomerPoints>;
  /** Grants or withdraws one consent purpose (customer.consent_changed, channel till). */
  setCustomerConsent(customerId: string, purpose: ConsentPurpose, granted: boolean): Customer;
  receipt(saleId: string, format: 'text', opts?: ReceiptRequest): string;
  receipt(saleId: string, format: 'escpos', opts?: ReceiptRequest): Uint8Array;
  /** The refund slip of a return (or an exchange's return half): original receipt, lines at the price paid, tax, refunds. */
  returnReceipt(returnId: string, format: 'text'): string;
  returnReceipt(returnId: string, format: 'escpos'): Uint8Array;
  /** The slip of a gift card sold or topped up (the event id in the sale's answer): last 4 digits, new balance. */
  giftCardReceipt(eventId: string, format: 'text'): string;
  giftCardReceipt(eventId: string, format: 'escpos'): Uint8Array;
  /**
   * Settles card payments a stopped till or a lost answer left open: each approval no sale recorded
   * is voided at the processor (and recorded as payment.card_reversed). Run at start and periodically;
   * payments in flight are left alone, and an unreachable processor leaves them for the next run.
   */
  settleCardPayments(): Promise<ResolveReport>;
}

export function createRegister(opts: {
  ledger: Ledger;
  items: ItemSource;
  provider: PaymentProvider;
  clock: Clock;
  logger: Logger;
  config?: RegisterConfig;
  /** How long to wait for the card reader before treating the attempt as timed out. */
  authorizeTimeoutMs?: number;
  /** HQ, which keeps the chain's gift card and store credit ledger; without it balances are this till's. */
  storedValueAuthority?: StoredValueAuthority;
  /** HQ, which keeps the chain's loyalty ledger; without it balances are this till's. */
  loyaltyAuthority?: LoyaltyAuthority;
  /** The loyalty programme as the catalog cache holds it; without it loyalty is off. */
  loyaltyProgramme?: () => Record<string, unknown> | undefined;
  /** HQ, which counts the uses of limited promotions; without it, limits are not counted. */
  promotionUseAuthority?: PromotionUseAuthority;
  /** The till's local setup token, which lets the first manager be added on a till that has none. */
  setupToken?: () => string | undefined;
  /** HQ's users for this store, as cached with the catalog; without it, the till's local users only. */
  tillUsers?: TillUserSource;
  /** HQ's customer lookup (customers registered at other stores); without it, this till's customers only. */
  remoteCustomers?: RemoteCustomerLookup;
}): Register {
  const { ledger, items, clock, logger } = opts;
  const config = opts.config ?? defaultRegisterConfig();
  const users = tillUserDirectory(ledger.db, opts.tillUsers);
  const approvals = createApprovals({
    db: ledger.db,
    clock,
    logger,
    attempts: config.pinAttempts,
    lockoutSeconds: config.pinLockoutSeconds,
    users,
    record: (type, payload) => void ledger.append(type, payload),
    ...(opts.setupToken ? { setupToken: opts.setupToken } : {}),
  });
  const ctx = createContext({
    ledger,
    items,
    provider: opts.provider,
    clock,
    logger,
    config,
    approvals,
    storedValue: createStoredValue(ledger.db, () => clock.now(), {
      authority: opts.storedValueAuthority,
      offlineLimitMinor: config.storedValue.offlineLimitMinor,
      logger,
    }),
    customers: createCustomers(
      ledger,
      () => clock.now(),
      opts.remoteCustomers,
      () => {
        const store = items.store();
        return store ? storeLocale(store) : undefined;
      },
    ),
    loyalty: createTillLoyalty(ledger.db, () => clock.now(), {
      authority: opts.loyaltyAuthority,
      programme: opts.loyaltyProgramme ?? (() => undefined),
      logger,
    }),
    authorizeTimeoutMs: opts.authorizeTimeoutMs ?? 60_000,
  });
  const sessions = tillSessions({
    ledger,
    users,
    lockout: pinLockout(ledger.db, clock, config.pinAttempts, config.pinLockoutSeconds),
    clock,
    logger,
    idleLockSeconds: () => config.session.idleLockSeconds,
    shiftId: () => ctx.currentShift()?.shiftId,
  });
  const drawer = drawerActions(ctx);
  const carts = cartActions(ctx);
  const pay = paymentActions(ctx);
  const promotionUses = createPromotionUses({
    db: ledger.db,
    now: () => clock.now(),
    logger,
    authority: opts.promotionUseAuthority,
    book: () => items.pricing?.()?.promotions,
    saveCart: (cart) => ctx.saveCart(cart),
  });
  const checkout = checkoutActions(ctx, pay, carts.deleteCart, promotionUses);
  const returns = returnActions(ctx, checkout);
  const view = (p: CatalogProduct): ItemView => ({
    ...p,
    soldBy: carts.soldByWeight(p) ? 'weight' : 'each',
  });

  const receipt = (
    saleId: string,
    format: 'text' | 'escpos',
    r: ReceiptRequest = {},
  ): string | Uint8Array => {
    const e = ctx.sale(saleId);
    if (r.copy || r.gift) {
      const shift = ctx.currentShift();
      const payload = receiptReprintedSchema.parse({
        saleId,
        receiptNo: e.payload.receiptNo,
        gift: r.gift === true,
        ...(shift ? { cashierId: shift.cashierId, shiftId: shift.shiftId } : {}),
      });
      ledger.append(SALES_EVENT_TYPES.receiptReprinted, payload);
    }
    const store = items.store();
    // A gift receipt printed with the sale is not a copy; any later print of the sale receipt is.
    const o = {
      copy: r.copy === true,
      gift: r.gift === true,
      footer: config.returnPolicy,
      loyalty: loyaltyCheckout(ctx).receiptPoints(saleId),
    };
    return format === 'text' ? receiptText(e, store, 42, o) : receiptEscPos(e, store, 42, o);
  };

  const returnReceipt = (returnId: string, format: 'text' | 'escpos'): string | Uint8Array => {
    const e = ledger.findByPayload(SALES_EVENT_TYPES.saleReturned, 'returnId', String(returnId))[0] as
      | EventEnvelope<SaleReturned>
      | undefined;
    if (!e) throw notFound(`return ${returnId} on this till`, 'returnId');
    const original = e.payload.originalSaleId
      ? (ledger.saleById(e.payload.originalSaleId)?.payload as SaleCompleted | undefined)
      : undefined;
    const o = { footer: config.returnPolicy };
    return format === 'text'
      ? returnReceiptText(e, original, items.store(), 42, o)
      : returnReceiptEscPos(e, original, items.store(), 42, o);
  };
  const giftCardReceipt = (eventId: string, format: 'text' | 'escpos'): string | Uint8Array => {
    const e = ledger.byId(String(eventId));
    if (!e || (e.type !== SALES_EVENT_TYPES.giftCardIssued && e.type !== SALES_EVENT_TYPES.giftCardLoaded))
      throw notFound(`gift card sale ${eventId} on this till`, 'eventId');
    const g = e as EventEnvelope<GiftCardSold>;
    return format === 'text'
      ? giftCardReceiptText(g, items.store())
      : giftCardReceiptEscPos(g, items.store());
  };

  return {
    config,
    approvals,
    users,
    sessions,
    returnReceipt: returnReceipt as Register['returnReceipt'],
    giftCardReceipt: giftCardReceipt as Register['giftCardReceipt'],
    lookupItem: (code) => view(carts.lookupItem(code)),
    searchItems(q, limit = 20) {
      const n = Math.min(Math.max(1, Math.floor(limit) || 20), 100);
      return rankItems(items, q, n).map(view);
    },
    currentShift: ctx.currentShift,
    ...drawer,
    createCart: carts.createCart,
    getCart: carts.getCart,
    addLine: (cartId, code, qty, o = {}) => carts.addLine(cartId, { code, qty, ...o }),
    changeQty: carts.changeQty,
    removeLine: carts.removeLine,
    addDiscount: carts.addDiscount,
    removeDiscount: carts.removeDiscount,
    addCoupon: carts.addCoupon,
    removeCoupon: carts.removeCoupon,
    overridePrice: carts.overridePrice,
    setCustomer: carts.setCustomer,
    park: carts.park,
    resume: carts.resume,
    parkedCarts: carts.parkedCarts,
    voidSale: carts.voidSale,
    complete: (cartId, tenders) => checkout.complete(cartId, tenders),
    sellGiftCard: checkout.sellGiftCard,
    balance: (code) => ctx.storedValue.byCode(code),
    async checkBalance(code) {
      const source = await ctx.storedValue.refresh(code);
      return { ...ctx.storedValue.byCode(code), source };
    },
    sale: ctx.sale,
    saleByReceipt: returns.saleByReceipt,
    returnItems: returns.returnItems,
    returnWithoutReceipt: returns.returnWithoutReceipt,
    voidPaidSale: returns.voidPaidSale,
    exchange: returns.exchange,
    createCustomer: (input) => ctx.customers.create(input),
    findCustomer: (input) => ctx.customers.find(input),
    findCustomerAnywhere: (input) => ctx.customers.findAnywhere(input),
    customerPoints: async (customerId) => {
      if (!ctx.customers.byId(customerId)) throw notFound(`customer ${customerId}`, 'customerId');
      const programme = ctx.loyalty.programme();
      const source = programme.enabled ? await ctx.loyalty.refresh(customerId) : 'till';
      const known = ctx.loyalty.known(customerId);
      const { currency } = ctx.requireStore();
      const balancePoints = Math.max(0, known?.balancePoints ?? 0);
      return {
        customerId,
        enabled: programme.enabled,
        balancePoints: known?.balancePoints ?? 0,
        tier: known?.tier ?? programme.tiers[0]?.name ?? '',
        valueMinor: programme.enabled ? pointsValueMinor(programme, balancePoints, currency) : 0,
        redeemPointsPerUnit: programme.redeemPointsPerUnit,
        currency,
        source,
        ...(source === 'till' && known ? { asOf: known.asOf } : {}),
      };
    },
    setCustomerConsent: (customerId, purpose, granted) =>
      ctx.customers.setConsent(customerId, purpose, granted),
    receipt: receipt as Register['receipt'],
    settleCardPayments: pay.settleOpenCards,
  };
}
