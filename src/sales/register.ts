import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { conflict, invalid, notFound, TallyError } from '../core/errors.ts';
import type { EventEnvelope } from '../core/event.ts';
import { newId } from '../core/ids.ts';
import { allocate } from '../core/money.ts';
import type { AuthorizeResult, PaymentProvider } from '../payments/provider.ts';
import type { CatalogProduct, StoreInfo } from '../sync/wire.ts';
import { addLine, type Cart, type CartView, changeQty, priceCart, removeLine } from './cart.ts';
import {
  type CashCount,
  cartLineVoidedSchema,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  type Refund,
  type ReturnLine,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type SaleLine,
  type SaleReturned,
  type ShiftClosed,
  type ShiftOpened,
  saleCompletedSchema,
  saleReturnedSchema,
  saleVoidedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
  type Tender,
} from './events.ts';
import type { Ledger } from './ledger.ts';
import { receiptEscPos, receiptText } from './receipt.ts';
import { countedTotal, type ShiftReport, xReport, zReport } from './shift-report.ts';
import { planTenders, type TenderRequest } from './tenders.ts';

/** Where the register finds products and the store's settings: the catalog cache on a till. */
export interface ItemSource {
  lookup(code: string): CatalogProduct | undefined;
  store(): StoreInfo | undefined;
}

export interface ShiftView extends ShiftOpened {
  openedAt: string;
  seq: number;
}

export interface SaleResult {
  saleId: string;
  receiptNo: string;
  seq: number;
  businessDate: string;
  occurredAt: string;
  currency: string;
  grossMinor: number;
  changeMinor: number;
  tenders: Tender[];
}

/** A drawer movement as recorded: the event's payload with where it sits in the ledger. */
export interface DrawerResult {
  type: string;
  shiftId: string;
  cashierId: string;
  amountMinor?: number;
  reason: string;
  seq: number;
  occurredAt: string;
}

/** What a drawer request may carry; checked here so errors name `amountMinor` or `reason`. */
export interface DrawerInput {
  amountMinor?: number | undefined;
  reason?: string | undefined;
}

export interface CloseShiftInput {
  /** The counted total, for callers that count without denominations. */
  countedCashMinor?: number | undefined;
  /** A blind count by denomination; the total is computed from it. */
  counted?: { denominations: { valueMinor: number; count: number }[] } | undefined;
}

/** A return against a receipt of this till: which lines, how many units, where the money goes. */
export interface ReturnInput {
  receiptNo?: string | undefined;
  saleId?: string | undefined;
  lines?: { lineNo: number; qty: number }[] | undefined;
  /** `original`: back to the card(s) by token up to what they paid, the rest in cash; `cash`: all cash. */
  refundTo?: 'original' | 'cash' | undefined;
  reason?: string | undefined;
}

export interface ReturnResult {
  returnId: string;
  refundMinor: number;
  refunds: Refund[];
  seq: number;
}

/** A sale as seen at the returns desk: each line with how many units were returned and may still be. */
export interface ReturnableSale extends SaleCompleted {
  seq: number;
  occurredAt: string;
  lines: (SaleLine & { returnedQty: number; returnableQty: number })[];
}

/** A parked cart as listed for the cashier to pick up again. */
export interface ParkedCart {
  cartId: string;
  label: string | undefined;
  itemCount: number;
  grossMinor: number;
  currency: string;
  parkedAt: string;
}

export interface VoidSaleResult {
  cartId: string;
  grossMinor: number;
  seq: number;
  occurredAt: string;
}

export interface Register {
  lookupItem(code: string): CatalogProduct;
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
  addLine(cartId: string, code: string, qty: number): CartView;
  changeQty(cartId: string, lineNo: number, qty: number): CartView;
  /** Removes a line and appends cart.line_voided in the same transaction. */
  removeLine(cartId: string, lineNo: number): CartView;
  /** Sets the cart aside: it keeps its lines and refuses edits and payment until resumed. */
  park(cartId: string, label?: string): CartView & { parkedAt: string; label: string | undefined };
  resume(cartId: string): CartView;
  parkedCarts(): ParkedCart[];
  /** Abandons the cart before payment: appends sale.voided and deletes the cart in one transaction. */
  voidSale(cartId: string, reason: unknown): VoidSaleResult;
  complete(cartId: string, tenders: TenderRequest[]): Promise<SaleResult>;
  sale(saleId: string): EventEnvelope<SaleCompleted>;
  /** The sale with this receipt number (the number the receipt's barcode carries), with returnable quantities. */
  saleByReceipt(receiptNo: string): ReturnableSale;
  /** Returns items of a sale of this till at the price paid; card refunds first, then one ledger write. */
  returnItems(input: ReturnInput): Promise<ReturnResult>;
  receipt(saleId: string, format: 'text'): string;
  receipt(saleId: string, format: 'escpos'): Uint8Array;
}

const notLoaded = (): TallyError =>
  new TallyError('unavailable', 'code: the catalog is not loaded yet; waiting for HQ', 'code');

const timeoutAfter = (ms: number): { promise: Promise<AuthorizeResult>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<AuthorizeResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timeout' }), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
};

/**
 * The sale path: shifts, carts, payment and completion. Carts live in SQLite so a restarted till
 * still has its unfinished sale; completing appends sale.completed and deletes the cart in one
 * transaction, so a crash leaves either the open cart or the finished sale, never both or neither.
 */
export function createRegister(opts: {
  ledger: Ledger;
  items: ItemSource;
  provider: PaymentProvider;
  clock: Clock;
  logger: Logger;
  /** How long to wait for the card reader before treating the attempt as timed out. */
  authorizeTimeoutMs?: number;
}): Register {
  const { ledger, items, provider, clock, logger } = opts;
  const db = ledger.db;
  const q = {
    getCart: db.prepare('SELECT body FROM carts WHERE id = ?').pluck(),
    insertCart: db.prepare('INSERT INTO carts (id, created_at, updated_at, body) VALUES (?, ?, ?, ?)'),
    updateCart: db.prepare('UPDATE carts SET body = ?, updated_at = ? WHERE id = ?'),
    deleteCart: db.prepare('DELETE FROM carts WHERE id = ?'),
    parkedAt: db.prepare('SELECT parked_at FROM carts WHERE id = ?').pluck(),
    park: db.prepare('UPDATE carts SET parked_at = ?, park_label = ?, updated_at = ? WHERE id = ?'),
    resume: db.prepare('UPDATE carts SET parked_at = NULL, park_label = NULL, updated_at = ? WHERE id = ?'),
    parked: db.prepare(
      'SELECT id, body, parked_at, park_label FROM carts WHERE parked_at IS NOT NULL ORDER BY parked_at, id',
    ),
    cartSale: db.prepare('SELECT sale_id FROM cart_sales WHERE cart_id = ?').pluck(),
    recordCartSale: db.prepare('INSERT INTO cart_sales (cart_id, sale_id) VALUES (?, ?)'),
    nextCounter: db
      .prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .pluck(),
  };
  // Carts whose payment is in flight: edits or a second "complete" would race the card reader.
  const paying = new Set<string>();

  const requireStore = (): StoreInfo => {
    const s = items.store();
    if (!s) throw notLoaded();
    return s;
  };

  const loadCart = (cartId: string): Cart => {
    const body = q.getCart.get(cartId) as string | undefined;
    if (body === undefined) throw notFound(`cart ${cartId}`, 'cartId');
    return JSON.parse(body) as Cart;
  };

  const isParked = (cartId: string): boolean => {
    const at = q.parkedAt.get(cartId) as string | null | undefined;
    return at !== undefined && at !== null;
  };
  const refuseParked = (cartId: string): void => {
    if (isParked(cartId)) throw conflict(`cart ${cartId} is parked; resume it first`, 'cartId');
  };

  const editCart = (cartId: string, edit: (c: Cart) => Cart): CartView => {
    if (paying.has(cartId)) throw conflict(`cart ${cartId} is being paid`, 'cartId');
    const cart = loadCart(cartId);
    refuseParked(cartId);
    const next = edit(cart);
    q.updateCart.run(JSON.stringify(next), clock.now().toISOString(), cartId);
    return priceCart(next);
  };

  const lookupItem = (code: string): CatalogProduct => {
    const p = items.lookup(code);
    if (!p) {
      if (!items.store()) throw notLoaded();
      throw notFound(`product "${code}"`, 'code');
    }
    return p;
  };

  const currentShift = (): ShiftView | undefined => {
    const last = ledger.latestOf([SALES_EVENT_TYPES.shiftOpened, SALES_EVENT_TYPES.shiftClosed]);
    if (!last || last.type !== SALES_EVENT_TYPES.shiftOpened) return undefined;
    return { ...(last.payload as ShiftOpened), openedAt: last.occurredAt, seq: last.seq };
  };

  /** The open shift's events, from its shift.opened on; the report keeps those of this shift. */
  const shiftEvents = (open: ShiftView): EventEnvelope[] =>
    ledger
      .range(open.seq, Number.MAX_SAFE_INTEGER)
      .filter((e) => (e.payload as { shiftId?: unknown }).shiftId === open.shiftId);

  const requireOpen = (what: string): ShiftView => {
    const open = currentShift();
    if (!open) throw conflict(`no shift is open; open one before ${what}`, 'shift');
    return open;
  };

  const checkReason = (reason: unknown): string => {
    if (typeof reason !== 'string' || reason.trim() === '')
      throw invalid('reason', 'a reason is required and must not be empty');
    return reason.trim();
  };

  const checkAmount = (amountMinor: unknown): number => {
    if (amountMinor === undefined) throw invalid('amountMinor', 'is required');
    if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0)
      throw invalid(
        'amountMinor',
        `must be a whole number of minor units above 0, got ${String(amountMinor)}`,
      );
    return amountMinor;
  };

  /** A cash drop or a pay-out: never more than the drawer should hold, checked in the write transaction. */
  const cashOut = (kind: 'cashDrop' | 'paidOut', input: DrawerInput): DrawerResult => {
    const amountMinor = checkAmount(input.amountMinor);
    const reason = checkReason(input.reason);
    const what = kind === 'cashDrop' ? 'a cash drop' : 'a pay-out';
    return ledger.transaction(() => {
      const open = requireOpen(what);
      const expected = xReport(shiftEvents(open)).cash.expectedMinor;
      if (amountMinor > expected)
        throw invalid(
          'amountMinor',
          `${what} of ${amountMinor} is more than the ${expected} the drawer should hold`,
        );
      const schema = kind === 'cashDrop' ? drawerCashDropSchema : drawerPaidOutSchema;
      const payload = schema.parse({ shiftId: open.shiftId, cashierId: open.cashierId, amountMinor, reason });
      const type = SALES_EVENT_TYPES[kind];
      const e = ledger.append(type, payload);
      logger.info({ type, shiftId: open.shiftId, amountMinor, reason, seq: e.seq }, 'cash out of the drawer');
      return { type, ...payload, seq: e.seq, occurredAt: e.occurredAt };
    });
  };

  /** A count by denomination, checked field by field so the error says which line is wrong. */
  const checkCount = (counted: CloseShiftInput['counted']): CashCount | undefined => {
    if (counted === undefined) return undefined;
    if (!Array.isArray(counted?.denominations))
      throw invalid('counted.denominations', 'must be a list of {valueMinor, count}');
    counted.denominations.forEach((d, i) => {
      if (!Number.isSafeInteger(d?.valueMinor) || d.valueMinor <= 0)
        throw invalid(`counted.denominations.${i}.valueMinor`, `must be a whole number above 0`);
      if (!Number.isSafeInteger(d.count) || d.count < 0)
        throw invalid(`counted.denominations.${i}.count`, `must be a whole number, 0 or more`);
    });
    return {
      denominations: counted.denominations.map((d) => ({ valueMinor: d.valueMinor, count: d.count })),
    };
  };

  const sale = (saleId: string): EventEnvelope<SaleCompleted> => {
    const e = ledger.saleById(saleId);
    if (!e) throw notFound(`sale ${saleId}`, 'saleId');
    return e as EventEnvelope<SaleCompleted>;
  };

  /** The sale to return against, by receipt number or sale id, on this till only. */
  const originalSale = (input: { receiptNo?: unknown; saleId?: unknown }): EventEnvelope<SaleCompleted> => {
    if (typeof input.receiptNo === 'string' && input.receiptNo.trim() !== '') {
      const receiptNo = input.receiptNo.trim();
      const e = ledger.findByPayload(SALES_EVENT_TYPES.saleCompleted, 'receiptNo', receiptNo)[0];
      if (!e) throw notFound(`receipt ${receiptNo} on this till`, 'receiptNo');
      return e as EventEnvelope<SaleCompleted>;
    }
    if (typeof input.saleId === 'string' && input.saleId.trim() !== '') {
      const e = ledger.saleById(input.saleId.trim());
      if (!e || e.terminalId !== ledger.terminalId)
        throw notFound(`sale ${input.saleId} on this till`, 'saleId');
      return e as EventEnvelope<SaleCompleted>;
    }
    throw invalid('receiptNo', 'give the receipt number (or the sale id) of the original sale');
  };

  const returnsOf = (saleId: string): SaleReturned[] =>
    ledger
      .findByPayload(SALES_EVENT_TYPES.saleReturned, 'originalSaleId', saleId)
      .map((e) => e.payload as SaleReturned);

  /** Units of each original line returned so far, by line number. */
  const returnedQty = (earlier: readonly SaleReturned[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (const r of earlier)
      for (const l of r.lines) m.set(l.originalLineNo, (m.get(l.originalLineNo) ?? 0) + l.qty);
    return m;
  };

  /**
   * The refund for units [from, from + qty) of a line: the line's gross and tax split per unit with
   * allocate(), so any sequence of partial returns adds up to exactly the line once every unit is back.
   */
  const unitsRefund = (l: SaleLine, from: number, qty: number): ReturnLine => {
    const slice = (total: number): number =>
      allocate(total, Array(l.qty).fill(1))
        .slice(from, from + qty)
        .reduce((s, x) => s + x, 0);
    const grossMinor = slice(l.grossMinor);
    const taxMinor = slice(l.taxMinor);
    return {
      originalLineNo: l.lineNo,
      sku: l.sku,
      qty,
      taxRateBp: l.taxRateBp,
      netMinor: grossMinor - taxMinor,
      taxMinor,
      grossMinor,
    };
  };

  /** Checks a return request against the sale and earlier returns; errors name the line at fault. */
  const planReturn = (
    original: SaleCompleted,
    lines: ReturnInput['lines'],
    earlier: readonly SaleReturned[],
  ): ReturnLine[] => {
    if (!Array.isArray(lines) || lines.length === 0)
      throw invalid('lines', 'list the lines to return as {lineNo, qty}');
    const done = returnedQty(earlier);
    const seen = new Set<number>();
    return lines.map((r, i) => {
      const line = original.lines.find((l) => l.lineNo === r?.lineNo);
      if (!line)
        throw invalid(
          `lines[${i}].lineNo`,
          `receipt ${original.receiptNo} has no line ${String(r?.lineNo)} (lines 1–${original.lines.length})`,
        );
      if (seen.has(line.lineNo)) throw invalid(`lines[${i}].lineNo`, `line ${line.lineNo} is listed twice`);
      seen.add(line.lineNo);
      const already = done.get(line.lineNo) ?? 0;
      const remaining = line.qty - already;
      if (!Number.isSafeInteger(r.qty) || r.qty <= 0)
        throw invalid(`lines[${i}].qty`, `must be a whole number above 0, got ${String(r.qty)}`);
      if (r.qty > remaining)
        throw invalid(
          `lines[${i}].qty`,
          remaining === 0
            ? `line ${line.lineNo} (${line.name}) was already returned in full; 0 remaining`
            : `only ${remaining} of line ${line.lineNo} (${line.name}) can still be returned, asked for ${r.qty}`,
        );
      return unitsRefund(line, already, r.qty);
    });
  };

  // Sales with a return in flight: a second return of the same sale waits for the card refund to settle.
  const returning = new Set<string>();

  const resultOf = (e: EventEnvelope<SaleCompleted>): SaleResult => ({
    saleId: e.payload.saleId,
    receiptNo: e.payload.receiptNo,
    seq: e.seq,
    businessDate: e.businessDate,
    occurredAt: e.occurredAt,
    currency: e.payload.currency,
    grossMinor: e.payload.grossMinor,
    changeMinor: e.payload.tenders.reduce((s, t) => s + (t.kind === 'cash' ? t.changeMinor : 0), 0),
    tenders: e.payload.tenders,
  });

  const reverseCards = async (cards: Extract<Tender, { kind: 'card' }>[], why: string): Promise<void> => {
    for (const c of cards) {
      const r = await provider.refund(c.token, c.amountMinor).catch((err: unknown) => ({
        status: 'failed' as const,
        reason: String(err),
      }));
      if (r.status === 'refunded') logger.warn({ amountMinor: c.amountMinor, why }, 'card charge reversed');
      // A charge we could not reverse is money the customer paid for nothing: shout.
      else
        logger.error(
          { token: c.token, amountMinor: c.amountMinor, why, reason: r.reason },
          'card reversal failed',
        );
    }
  };

  const authorize = async (
    amountMinor: number,
    currency: string,
    reference: string,
  ): Promise<AuthorizeResult> => {
    const timeoutMs = opts.authorizeTimeoutMs ?? 60_000;
    const t = timeoutAfter(timeoutMs);
    try {
      return await Promise.race([provider.authorize({ amountMinor, currency, reference }), t.promise]);
    } catch (err) {
      logger.error({ err }, 'card reader failed');
      return { status: 'timeout' };
    } finally {
      t.cancel();
    }
  };

  return {
    lookupItem,
    currentShift,

    openShift({ cashierId, openingFloatMinor }) {
      const store = requireStore();
      if (!Number.isSafeInteger(openingFloatMinor) || openingFloatMinor < 0) {
        throw invalid(
          'openingFloatMinor',
          `must be a whole number of minor units, 0 or more, got ${openingFloatMinor}`,
        );
      }
      if (cashierId.trim() === '') throw invalid('cashierId', 'must not be empty');
      return ledger.transaction(() => {
        const open = currentShift();
        if (open)
          throw conflict(`shift ${open.shiftId} of ${open.cashierId} is still open; close it first`, 'shift');
        const payload = shiftOpenedSchema.parse({
          shiftId: newId(),
          cashierId,
          openingFloatMinor,
          currency: store.currency,
        });
        const e = ledger.append(SALES_EVENT_TYPES.shiftOpened, payload);
        logger.info({ shiftId: payload.shiftId, cashierId, seq: e.seq }, 'shift opened');
        return { ...payload, openedAt: e.occurredAt, seq: e.seq };
      });
    },

    closeShift(input) {
      const { countedCashMinor } = input;
      if (
        countedCashMinor !== undefined &&
        (!Number.isSafeInteger(countedCashMinor) || countedCashMinor < 0)
      ) {
        throw invalid(
          'countedCashMinor',
          `must be a whole number of minor units, 0 or more, got ${countedCashMinor}`,
        );
      }
      const counted = checkCount(input.counted);
      if (counted && countedCashMinor !== undefined && countedTotal(counted) !== countedCashMinor)
        throw invalid(
          'countedCashMinor',
          `is ${countedCashMinor} but the denominations add up to ${countedTotal(counted)}; send one or make them agree`,
        );
      return ledger.transaction(() => {
        const open = currentShift();
        if (!open) throw conflict('no shift is open; a Z report needs an open shift', 'shift');
        const events = shiftEvents(open);
        // Drawn in this transaction: a close that fails gives its number back, so Z numbers stay gap-free.
        const zNumber = q.nextCounter.get(`z:${ledger.terminalId}`) as number;
        const report = zReport(events, zNumber, {
          ...(counted ? { counted } : {}),
          ...(countedCashMinor === undefined ? {} : { countedCashMinor }),
        });
        const cash = report.tenders.find((t) => t.kind === 'cash')?.amountMinor ?? 0;
        const card = report.tenders.find((t) => t.kind === 'card')?.amountMinor ?? 0;
        const payload = shiftClosedSchema.parse({
          shiftId: open.shiftId,
          cashierId: open.cashierId,
          currency: open.currency,
          openingFloatMinor: open.openingFloatMinor,
          salesCount: report.sales.count,
          grossMinor: report.sales.grossMinor,
          cashSalesMinor: cash,
          cardSalesMinor: card,
          expectedCashMinor: report.cash.expectedMinor,
          ...(report.cash.countedMinor === undefined
            ? {}
            : { countedCashMinor: report.cash.countedMinor, differenceMinor: report.cash.differenceMinor }),
          ...(counted ? { counted } : {}),
          cashDropsMinor: report.cash.cashDropsMinor,
          paidOutsMinor: report.cash.paidOutsMinor,
          noSaleCount: report.noSales.count,
          zNumber,
          returnsCount: report.returns.count,
          returnsMinor: report.returns.totalMinor,
          cashRefundsMinor: report.returns.cashMinor,
        });
        const e = ledger.append(SALES_EVENT_TYPES.shiftClosed, payload);
        logger.info(
          { shiftId: open.shiftId, seq: e.seq, zNumber, expectedCashMinor: payload.expectedCashMinor },
          'shift closed',
        );
        return { ...payload, seq: e.seq, report: { ...report, asOf: e.occurredAt, upToSeq: e.seq } };
      });
    },

    cashDrop: (input) => cashOut('cashDrop', input),
    paidOut: (input) => cashOut('paidOut', input),

    noSale(input) {
      if (input.amountMinor !== undefined && input.amountMinor !== 0)
        throw invalid('amountMinor', 'a no-sale moves no money; leave it out');
      const reason = checkReason(input.reason);
      return ledger.transaction(() => {
        const open = requireOpen('opening the drawer');
        const payload = drawerNoSaleSchema.parse({
          shiftId: open.shiftId,
          cashierId: open.cashierId,
          reason,
        });
        const e = ledger.append(SALES_EVENT_TYPES.noSale, payload);
        logger.info(
          { shiftId: open.shiftId, cashierId: open.cashierId, reason, seq: e.seq },
          'drawer opened, no sale',
        );
        return { type: SALES_EVENT_TYPES.noSale, ...payload, seq: e.seq, occurredAt: e.occurredAt };
      });
    },

    xReport() {
      const open = currentShift();
      if (!open) throw conflict('no shift is open', 'shift');
      return xReport(shiftEvents(open));
    },

    createCart() {
      const store = requireStore();
      const now = clock.now().toISOString();
      const cart: Cart = {
        id: newId(),
        currency: store.currency,
        taxInclusive: store.taxInclusive,
        createdAt: now,
        lines: [],
      };
      q.insertCart.run(cart.id, now, now, JSON.stringify(cart));
      return priceCart(cart);
    },

    getCart: (cartId) => priceCart(loadCart(cartId)),

    addLine(cartId, code, qty) {
      loadCart(cartId);
      const p = lookupItem(code);
      if (!p.active) throw notFound(`product "${code}" (no longer sold)`, 'code');
      return editCart(cartId, (c) => addLine(c, p, qty));
    },

    changeQty: (cartId, lineNo, qty) => editCart(cartId, (c) => changeQty(c, lineNo, qty)),
    removeLine(cartId, lineNo) {
      if (paying.has(cartId)) throw conflict(`cart ${cartId} is being paid`, 'cartId');
      return ledger.transaction(() => {
        const cart = loadCart(cartId);
        refuseParked(cartId);
        const next = removeLine(cart, lineNo);
        const line = priceCart(cart).lines.find((l) => l.lineNo === lineNo)!;
        const shift = currentShift();
        const payload = cartLineVoidedSchema.parse({
          cartId,
          lineNo,
          sku: line.sku,
          qty: line.qty,
          grossMinor: line.grossMinor,
          ...(shift ? { cashierId: shift.cashierId, shiftId: shift.shiftId } : {}),
        });
        const e = ledger.append(SALES_EVENT_TYPES.cartLineVoided, payload, {
          also: () => q.updateCart.run(JSON.stringify(next), clock.now().toISOString(), cartId),
        });
        logger.info(
          { cartId, lineNo, sku: line.sku, grossMinor: line.grossMinor, seq: e.seq },
          'line voided',
        );
        return priceCart(next);
      });
    },

    park(cartId, label) {
      if (label !== undefined && (typeof label !== 'string' || label.trim().length > 80))
        throw invalid('label', 'must be text of at most 80 characters');
      const trimmed = label?.trim() || undefined;
      if (paying.has(cartId)) throw conflict(`cart ${cartId} is being paid`, 'cartId');
      const cart = loadCart(cartId);
      if (isParked(cartId)) throw conflict(`cart ${cartId} is already parked`, 'cartId');
      if (cart.lines.length === 0) throw invalid('lines', 'the cart is empty; nothing to park');
      const parkedAt = clock.now().toISOString();
      q.park.run(parkedAt, trimmed ?? null, parkedAt, cartId);
      logger.info({ cartId, label: trimmed }, 'cart parked');
      return { ...priceCart(cart), parkedAt, label: trimmed };
    },

    resume(cartId) {
      const cart = loadCart(cartId);
      if (!isParked(cartId)) throw conflict(`cart ${cartId} is not parked`, 'cartId');
      q.resume.run(clock.now().toISOString(), cartId);
      logger.info({ cartId }, 'cart resumed');
      return priceCart(cart);
    },

    parkedCarts() {
      const rows = q.parked.all() as {
        id: string;
        body: string;
        parked_at: string;
        park_label: string | null;
      }[];
      return rows.map((r) => {
        const view = priceCart(JSON.parse(r.body) as Cart);
        return {
          cartId: r.id,
          label: r.park_label ?? undefined,
          itemCount: view.lines.reduce((n, l) => n + l.qty, 0),
          grossMinor: view.totals.grossMinor,
          currency: view.currency,
          parkedAt: r.parked_at,
        };
      });
    },

    voidSale(cartId, reasonInput) {
      const reason = checkReason(reasonInput);
      if (paying.has(cartId)) throw conflict(`cart ${cartId} is being paid`, 'cartId');
      return ledger.transaction(() => {
        const view = priceCart(loadCart(cartId));
        const shift = currentShift();
        const payload = saleVoidedSchema.parse({
          cartId,
          lines: view.lines.map((l) => ({
            lineNo: l.lineNo,
            sku: l.sku,
            qty: l.qty,
            grossMinor: l.grossMinor,
          })),
          grossMinor: view.totals.grossMinor,
          reason,
          currency: view.currency,
          ...(shift ? { cashierId: shift.cashierId, shiftId: shift.shiftId } : {}),
        });
        const e = ledger.append(SALES_EVENT_TYPES.saleVoided, payload, {
          also: () => q.deleteCart.run(cartId),
        });
        logger.info({ cartId, grossMinor: payload.grossMinor, reason, seq: e.seq }, 'sale voided');
        return { cartId, grossMinor: payload.grossMinor, seq: e.seq, occurredAt: e.occurredAt };
      });
    },

    async complete(cartId, tenderRequests) {
      // A retried "complete" whose first answer was lost gets the same sale, not a 404.
      const done = q.cartSale.get(cartId) as string | undefined;
      if (done !== undefined) return resultOf(sale(done));
      if (paying.has(cartId)) throw conflict(`cart ${cartId} is already being paid`, 'cartId');
      const cart = loadCart(cartId);
      refuseParked(cartId);
      if (cart.lines.length === 0) throw invalid('lines', 'the cart is empty');
      const shift = currentShift();
      if (!shift) throw conflict('open a shift before selling', 'shift');
      const view = priceCart(cart);
      const plan = planTenders(view.totals.grossMinor, tenderRequests);

      paying.add(cartId);
      const charged: Extract<Tender, { kind: 'card' }>[] = [];
      try {
        for (const amountMinor of plan.cards) {
          const r = await authorize(amountMinor, cart.currency, cartId);
          if (r.status !== 'approved') {
            await reverseCards(charged, 'a later card in the same sale failed');
            const why = r.status === 'timeout' ? 'the card reader timed out' : `card declined: ${r.reason}`;
            logger.info({ cartId, amountMinor, status: r.status }, 'card not approved');
            throw new TallyError('payment_declined', `tenders: ${why}; the cart is still open`, 'tenders');
          }
          charged.push({
            kind: 'card',
            amountMinor,
            provider: provider.name,
            approvalCode: r.approvalCode,
            token: r.token,
            maskedPan: r.maskedPan,
            brand: r.brand,
          });
        }
        const tenders: Tender[] = [...charged];
        if (plan.cash) tenders.push({ kind: 'cash', ...plan.cash });

        let event: EventEnvelope<SaleCompleted>;
        try {
          event = ledger.transaction(() => {
            // The cart must be the one priced above: edits are refused while paying, but be sure.
            const still = q.getCart.get(cartId) as string | undefined;
            if (still === undefined) throw notFound(`cart ${cartId}`, 'cartId');
            refuseParked(cartId);
            const saleId = newId();
            const n = q.nextCounter.get(`receipt:${ledger.terminalId}`) as number;
            const payload = saleCompletedSchema.parse({
              saleId,
              receiptNo: `${ledger.terminalId}-${String(n).padStart(6, '0')}`,
              shiftId: shift.shiftId,
              cashierId: shift.cashierId,
              currency: view.currency,
              taxInclusive: view.taxInclusive,
              // Renumbered 1..n: gaps left by removed lines mean nothing on a receipt.
              lines: view.lines.map((l, i) => ({
                lineNo: i + 1,
                sku: l.sku,
                name: l.name,
                qty: l.qty,
                unitPriceMinor: l.unitPriceMinor,
                taxRateBp: l.taxRateBp,
                netMinor: l.netMinor,
                taxMinor: l.taxMinor,
                grossMinor: l.grossMinor,
              })),
              netMinor: view.totals.netMinor,
              taxMinor: view.totals.taxMinor,
              grossMinor: view.totals.grossMinor,
              tenders,
            });
            return ledger.append(SALES_EVENT_TYPES.saleCompleted, payload, {
              also: () => {
                q.deleteCart.run(cartId);
                q.recordCartSale.run(cartId, saleId);
              },
            });
          });
        } catch (err) {
          await reverseCards(charged, 'the sale could not be recorded');
          throw err;
        }
        logger.info(
          {
            saleId: event.payload.saleId,
            receiptNo: event.payload.receiptNo,
            seq: event.seq,
            grossMinor: event.payload.grossMinor,
          },
          'sale completed',
        );
        return resultOf(event);
      } finally {
        paying.delete(cartId);
      }
    },

    sale,

    saleByReceipt(receiptNo) {
      const e = originalSale({ receiptNo });
      const done = returnedQty(returnsOf(e.payload.saleId));
      return {
        ...e.payload,
        seq: e.seq,
        occurredAt: e.occurredAt,
        lines: e.payload.lines.map((l) => {
          const returned = done.get(l.lineNo) ?? 0;
          return { ...l, returnedQty: returned, returnableQty: l.qty - returned };
        }),
      };
    },

    async returnItems(input) {
      const refundTo = input.refundTo ?? 'original';
      if (refundTo !== 'original' && refundTo !== 'cash')
        throw invalid('refundTo', `must be "original" or "cash", got ${String(input.refundTo)}`);
      const reason = checkReason(input.reason);
      const original = originalSale(input);
      const sale = original.payload;
      if (returning.has(sale.saleId))
        throw conflict(`a return of receipt ${sale.receiptNo} is already in progress`, 'receiptNo');
      const shift = requireOpen('a return');
      const lines = planReturn(sale, input.lines, returnsOf(sale.saleId));
      const refundMinor = lines.reduce((s, l) => s + l.grossMinor, 0);

      returning.add(sale.saleId);
      try {
        // Card part first, up to what each card paid less what earlier returns gave back to it.
        const refunds: Refund[] = [];
        let left = refundMinor;
        if (refundTo === 'original') {
          const earlierCard = new Map<string, number>();
          for (const r of returnsOf(sale.saleId))
            for (const f of r.refunds)
              if (f.kind === 'card')
                earlierCard.set(f.token, (earlierCard.get(f.token) ?? 0) + f.amountMinor);
          for (const t of sale.tenders) {
            if (t.kind !== 'card' || left === 0) continue;
            const amountMinor = Math.min(left, t.amountMinor - (earlierCard.get(t.token) ?? 0));
            if (amountMinor <= 0) continue;
            const r = await provider.refund(t.token, amountMinor).catch((err: unknown) => ({
              status: 'failed' as const,
              reason: String(err),
            }));
            if (r.status !== 'refunded') {
              if (refunds.length > 0)
                // Money already went back to an earlier card and cannot be taken back: shout.
                logger.error(
                  { saleId: sale.saleId, refunded: refunds, reason: r.reason },
                  'card refund failed after an earlier card was refunded; return not recorded',
                );
              logger.info({ saleId: sale.saleId, amountMinor, reason: r.reason }, 'card refund failed');
              throw new TallyError(
                'payment_declined',
                `refundTo: the card refund failed (${r.reason}); nothing was returned — try again or refund in cash`,
                'refundTo',
              );
            }
            refunds.push({
              kind: 'card',
              amountMinor,
              token: t.token,
              maskedPan: t.maskedPan,
              refundRef: r.refundId,
            });
            left -= amountMinor;
          }
        }
        if (left > 0) refunds.push({ kind: 'cash', amountMinor: left });

        try {
          const e = ledger.transaction(() => {
            const totals = lines.reduce(
              (t, l) => ({
                netMinor: t.netMinor + l.netMinor,
                taxMinor: t.taxMinor + l.taxMinor,
                grossMinor: t.grossMinor + l.grossMinor,
              }),
              { netMinor: 0, taxMinor: 0, grossMinor: 0 },
            );
            const payload = saleReturnedSchema.parse({
              returnId: newId(),
              originalSaleId: sale.saleId,
              originalReceiptNo: sale.receiptNo,
              shiftId: shift.shiftId,
              cashierId: shift.cashierId,
              currency: sale.currency,
              lines,
              totals,
              refunds,
              reason,
            });
            return ledger.append(SALES_EVENT_TYPES.saleReturned, payload);
          });
          logger.info(
            { returnId: e.payload.returnId, receiptNo: sale.receiptNo, refundMinor, seq: e.seq },
            'items returned',
          );
          return { returnId: e.payload.returnId, refundMinor, refunds, seq: e.seq };
        } catch (err) {
          if (refunds.some((f) => f.kind === 'card'))
            logger.error(
              { saleId: sale.saleId, refunds, err },
              'card refunded but the return was not recorded',
            );
          throw err;
        }
      } finally {
        returning.delete(sale.saleId);
      }
    },

    receipt: ((saleId: string, format: 'text' | 'escpos') => {
      const e = sale(saleId);
      const store = items.store();
      return format === 'text' ? receiptText(e, store) : receiptEscPos(e, store);
    }) as Register['receipt'],
  };
}
