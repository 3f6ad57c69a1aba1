import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import { conflict, invalid, notFound, TallyError } from '../core/errors.ts';
import type { EventEnvelope } from '../core/event.ts';
import { newId } from '../core/ids.ts';
import type { AuthorizeResult, PaymentProvider } from '../payments/provider.ts';
import type { CatalogProduct, StoreInfo } from '../sync/wire.ts';
import { addLine, type Cart, type CartView, changeQty, priceCart, removeLine } from './cart.ts';
import {
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

export interface Register {
  lookupItem(code: string): CatalogProduct;
  openShift(input: { cashierId: string; openingFloatMinor: number }): ShiftView;
  currentShift(): ShiftView | undefined;
  closeShift(input: { countedCashMinor?: number }): ShiftClosed & { seq: number };
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

    closeShift({ countedCashMinor }) {
      if (
        countedCashMinor !== undefined &&
        (!Number.isSafeInteger(countedCashMinor) || countedCashMinor < 0)
      ) {
        throw invalid(
          'countedCashMinor',
          `must be a whole number of minor units, 0 or more, got ${countedCashMinor}`,
        );
      }
      return ledger.transaction(() => {
        const open = currentShift();
        if (!open) throw conflict('no shift is open', 'shift');
        const sales = ledger
          .findByPayload(SALES_EVENT_TYPES.saleCompleted, 'shiftId', open.shiftId)
          .map((e) => e.payload as SaleCompleted);
        let cash = 0;
        let card = 0;
        let gross = 0;
        for (const s of sales) {
          gross += s.grossMinor;
          for (const t of s.tenders) {
            if (t.kind === 'cash') cash += t.amountMinor;
            else card += t.amountMinor;
          }
        }
        const expected = open.openingFloatMinor + cash;
        const payload = shiftClosedSchema.parse({
          shiftId: open.shiftId,
          cashierId: open.cashierId,
          currency: open.currency,
          openingFloatMinor: open.openingFloatMinor,
          salesCount: sales.length,
          grossMinor: gross,
          cashSalesMinor: cash,
          cardSalesMinor: card,
          expectedCashMinor: expected,
          ...(countedCashMinor === undefined
            ? {}
            : { countedCashMinor, differenceMinor: countedCashMinor - expected }),
        });
        const e = ledger.append(SALES_EVENT_TYPES.shiftClosed, payload);
        logger.info({ shiftId: open.shiftId, seq: e.seq, expectedCashMinor: expected }, 'shift closed');
        return { ...payload, seq: e.seq };
      });
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
