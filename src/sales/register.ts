import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { conflict, invalid, notFound, TallyError } from '../core/errors.ts';
import type { EventEnvelope } from '../core/event.ts';
import { newId } from '../core/ids.ts';
import type { AuthorizeResult, PaymentProvider } from '../payments/provider.ts';
import type { CatalogProduct, StoreInfo } from '../sync/wire.ts';
import { addLine, type Cart, type CartView, changeQty, priceCart, removeLine } from './cart.ts';
import {
  type CashCount,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type ShiftClosed,
  type ShiftOpened,
  saleCompletedSchema,
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
  removeLine(cartId: string, lineNo: number): CartView;
  complete(cartId: string, tenders: TenderRequest[]): Promise<SaleResult>;
  sale(saleId: string): EventEnvelope<SaleCompleted>;
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

  const editCart = (cartId: string, edit: (c: Cart) => Cart): CartView => {
    if (paying.has(cartId)) throw conflict(`cart ${cartId} is being paid`, 'cartId');
    const next = edit(loadCart(cartId));
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
    removeLine: (cartId, lineNo) => editCart(cartId, (c) => removeLine(c, lineNo)),

    async complete(cartId, tenderRequests) {
      // A retried "complete" whose first answer was lost gets the same sale, not a 404.
      const done = q.cartSale.get(cartId) as string | undefined;
      if (done !== undefined) return resultOf(sale(done));
      if (paying.has(cartId)) throw conflict(`cart ${cartId} is already being paid`, 'cartId');
      const cart = loadCart(cartId);
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

    receipt: ((saleId: string, format: 'text' | 'escpos') => {
      const e = sale(saleId);
      const store = items.store();
      return format === 'text' ? receiptText(e, store) : receiptEscPos(e, store);
    }) as Register['receipt'],
  };
}
