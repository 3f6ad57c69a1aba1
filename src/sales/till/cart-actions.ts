import { parseScannedCode } from '../../catalog/till/index.ts';
import type { CatalogProduct } from '../../contracts/index.ts';
import { conflict, invalid, minorDigits, mulDiv, newId, notFound } from '../../core/index.ts';
import { cartLineVoidedSchema, SALES_EVENT_TYPES, saleVoidedSchema } from '../events.ts';
import type { ManagerApproval } from './approvals.ts';
import {
  type AddOptions,
  addCoupon,
  addDiscount,
  addLine,
  type Cart,
  type CartView,
  changeQty,
  findLine,
  overridePrice,
  removeCoupon,
  removeDiscount,
  removeLine,
} from './cart.ts';
import { checkReason, notLoaded, type RegisterContext } from './register-context.ts';

/** The open cart: scanning (plain, weighed, embedded-price codes), discounts, overrides, park, void. */

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

export interface AddLineInput {
  code: string;
  qty?: number | undefined;
  /** For products sold by weight, what the scale read. */
  weightGrams?: number | undefined;
}

export interface DiscountInput {
  /** Omit for a basket discount. */
  lineNo?: number | undefined;
  amountMinor?: number | undefined;
  /** Percent off, 0.01–100 (two decimals at most). */
  percent?: number | undefined;
  reason?: string | undefined;
  managerPin?: ManagerApproval | undefined;
}

/** What a scan resolved to: the product and how the line is priced. */
export interface ScanResult {
  product: CatalogProduct;
  options: AddOptions;
}

export function cartActions(ctx: RegisterContext) {
  const { ledger, items, clock, logger, config } = ctx;
  const db = ledger.db;
  const q = {
    insertCart: db.prepare('INSERT INTO carts (id, created_at, updated_at, body) VALUES (?, ?, ?, ?)'),
    deleteCart: db.prepare('DELETE FROM carts WHERE id = ?'),
    park: db.prepare('UPDATE carts SET parked_at = ?, park_label = ?, updated_at = ? WHERE id = ?'),
    resume: db.prepare('UPDATE carts SET parked_at = NULL, park_label = NULL, updated_at = ? WHERE id = ?'),
    parked: db.prepare(
      'SELECT id, body, parked_at, park_label FROM carts WHERE parked_at IS NOT NULL ORDER BY parked_at, id',
    ),
  };
  // register.json's weighedSkus still force weighing; otherwise the catalog's unit (kg, l) decides.
  const weighed = new Set(config.weighedSkus);
  const byWeight = (p: CatalogProduct): boolean => weighed.has(p.sku) || p.unit === 'kg' || p.unit === 'l';

  /** A cart grows by scans and edits one at a time; the till's limits bound where it may get to. */
  const refuseOverLimits = (cart: Cart): void => {
    const { maxLines, maxLineQty } = config.limits;
    if (cart.lines.length > maxLines)
      throw invalid(
        'code',
        `a sale holds at most ${maxLines} lines (limits.maxLines); pay this one and start another`,
      );
    const big = cart.lines.find((l) => l.qty > maxLineQty);
    if (big)
      throw invalid('qty', `must be at most ${maxLineQty} on one line (limits.maxLineQty), got ${big.qty}`);
  };
  const editCart = (cartId: string, edit: (c: Cart) => Cart): CartView => {
    ctx.refusePaying(cartId);
    const cart = ctx.loadCart(cartId);
    ctx.refuseParked(cartId);
    const next = edit(cart);
    refuseOverLimits(next);
    // Price before saving: a discount the engine refuses must not stay in the cart.
    const view = ctx.priceCart(next);
    ctx.saveCart(next);
    return view;
  };

  const lookupItem = (code: string): CatalogProduct => {
    if (typeof code !== 'string' || code.trim() === '') throw invalid('code', 'scan or type a code');
    const p = items.lookup(code.trim());
    if (!p) {
      if (!items.store()) throw notLoaded();
      throw notFound(`product "${code}"`, 'code');
    }
    return p;
  };

  /**
   * A scanned code: a SKU, barcode or PLU the catalog knows, else an in-store EAN-13 (prefix 2) whose
   * item reference names the product and whose value is the price or the weight.
   */
  const scan = (code: string): ScanResult => {
    if (typeof code !== 'string' || code.trim() === '') throw invalid('code', 'scan or type a code');
    const trimmed = code.trim();
    const direct = items.lookup(trimmed);
    if (direct) return { product: direct, options: {} };
    const store = ctx.requireStore();
    const parsed = parseScannedCode(trimmed, { currencyDecimals: minorDigits(store.currency) });
    if (parsed.kind === 'embedded-price' || parsed.kind === 'embedded-weight') {
      const product = items.lookup(parsed.itemRef) ?? items.lookup(String(Number(parsed.itemRef)));
      if (!product) throw notFound(`product with item reference ${parsed.itemRef} (from ${trimmed})`, 'code');
      return parsed.kind === 'embedded-price'
        ? { product, options: { embeddedPriceMinor: parsed.priceMinor, embedded: 'price' } }
        : { product, options: { grams: parsed.grams, embedded: 'weight' } };
    }
    if (parsed.kind === 'gtin') {
      const p = items.lookup(parsed.gtin);
      if (p) return { product: p, options: {} };
    }
    throw notFound(`product "${trimmed}"`, 'code');
  };

  const checkPercent = (percent: number): number => {
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent > 100)
      throw invalid('percent', `must be above 0 and at most 100, got ${String(percent)}`);
    const bp = Math.round(percent * 100);
    if (Math.abs(bp - percent * 100) > 1e-6) throw invalid('percent', 'at most two decimals');
    return bp;
  };

  return {
    lookupItem,
    /** Whether a product is sold by weight (or volume) at this till: its price is then per kg (or l). */
    soldByWeight: (p: CatalogProduct): boolean => byWeight(p),

    createCart(): CartView {
      const store = ctx.requireStore();
      const now = clock.now().toISOString();
      const cart: Cart = {
        id: newId(),
        currency: store.currency,
        taxInclusive: store.taxInclusive,
        createdAt: now,
        lines: [],
      };
      q.insertCart.run(cart.id, now, now, JSON.stringify(cart));
      return ctx.priceCart(cart);
    },

    getCart: (cartId: string): CartView => ctx.priceCart(ctx.loadCart(cartId)),

    addLine(cartId: string, input: AddLineInput): CartView {
      ctx.loadCart(cartId);
      const qty = input.qty ?? 1;
      const scanned = scan(input.code);
      let product = scanned.product;
      if (!product.active) throw notFound(`product "${input.code}" (no longer sold)`, 'code');
      let opts = scanned.options;
      if (opts.embeddedPriceMinor === undefined) {
        // The pricebook's price in force now on the till's clock, so a scheduled change applies on time.
        const price = items.priceAt?.(product.sku, clock.now());
        if (price !== undefined) product = { ...product, priceMinor: price };
      }
      if (opts.grams === undefined && byWeight(product)) {
        if (input.weightGrams === undefined)
          throw invalid('weightGrams', `${product.name} is sold by weight; put it on the scale`);
        opts = { ...opts, grams: input.weightGrams };
      } else if (input.weightGrams !== undefined && opts.grams === undefined)
        throw invalid('weightGrams', `${product.name} is not sold by weight`);
      return editCart(cartId, (c) => addLine(c, product, qty, opts));
    },

    changeQty: (cartId: string, lineNo: number, qty: number): CartView =>
      editCart(cartId, (c) => {
        if (findLine(c, lineNo).measure) throw invalid('qty', 'a weighed line is changed by weighing again');
        return changeQty(c, lineNo, qty);
      }),

    /** Removes a line and appends cart.line_voided in the same transaction. */
    removeLine(cartId: string, lineNo: number): CartView {
      ctx.refusePaying(cartId);
      return ledger.transaction(() => {
        const cart = ctx.loadCart(cartId);
        ctx.refuseParked(cartId);
        const next = removeLine(cart, lineNo);
        const line = ctx.priceCart(cart).lines.find((l) => l.lineNo === lineNo)!;
        const shift = ctx.currentShift();
        const payload = cartLineVoidedSchema.parse({
          cartId,
          lineNo,
          sku: line.sku,
          qty: line.qty,
          grossMinor: line.grossMinor,
          ...(shift ? { cashierId: shift.cashierId, shiftId: shift.shiftId } : {}),
        });
        const e = ledger.append(SALES_EVENT_TYPES.cartLineVoided, payload, {
          also: () => ctx.saveCart(next),
        });
        logger.info(
          { cartId, lineNo, sku: line.sku, grossMinor: line.grossMinor, seq: e.seq },
          'line voided',
        );
        return ctx.priceCart(next);
      });
    },

    /**
     * A line or basket discount with a reason. Above the till's threshold (percent of what it applies
     * to) it needs a manager's PIN; the approver is kept with the discount and lands on the sale event.
     */
    addDiscount(cartId: string, input: DiscountInput): CartView {
      const reason = checkReason(input.reason);
      if ((input.amountMinor === undefined) === (input.percent === undefined))
        throw invalid('amountMinor', 'give exactly one of amountMinor or percent');
      if (
        input.amountMinor !== undefined &&
        (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
      )
        throw invalid(
          'amountMinor',
          `must be a whole number of minor units above 0, got ${input.amountMinor}`,
        );
      const percentBp = input.percent === undefined ? undefined : checkPercent(input.percent);
      const view = ctx.priceCart(ctx.loadCart(cartId));
      const base =
        input.lineNo === undefined
          ? view.totals.listMinor - view.totals.discountMinor
          : (() => {
              const l = view.lines.find((x) => x.lineNo === input.lineNo);
              if (!l) throw notFound(`line ${input.lineNo} of cart ${cartId}`, 'lineNo');
              return l.listMinor - l.discountMinor;
            })();
      if (base <= 0)
        throw invalid(input.lineNo === undefined ? 'amountMinor' : 'lineNo', 'nothing left to discount');
      if (input.amountMinor !== undefined && input.amountMinor > base)
        throw invalid('amountMinor', `is more than the ${base} left to pay on it`);
      const share = percentBp !== undefined ? percentBp : mulDiv(input.amountMinor!, 10_000, base);
      const limitBp = Math.round(config.approvals.discountPercentOver * 100);
      const approvedBy = ctx.approvals.check(
        share > limitBp,
        input.managerPin,
        'discount',
        `a discount over ${config.approvals.discountPercentOver}%`,
        share > limitBp ? 'discount_over_threshold' : undefined,
      );
      return editCart(cartId, (c) =>
        addDiscount(c, {
          // UUIDv7 sorts by time, and the engine applies discounts in id order: the order they were given.
          id: newId(),
          ...(input.lineNo !== undefined ? { lineNo: input.lineNo } : {}),
          ...(input.amountMinor !== undefined ? { amountMinor: input.amountMinor } : {}),
          ...(percentBp !== undefined ? { percentBp } : {}),
          reason,
          ...(approvedBy ? { approvedBy } : {}),
        }),
      );
    },

    /** A coupon code presented at the till; the cart view's `coupons` says whether it applied and why not. */
    addCoupon: (cartId: string, code: unknown): CartView =>
      editCart(cartId, (c) => addCoupon(c, typeof code === 'string' ? code : '')),

    removeCoupon: (cartId: string, code: string): CartView => editCart(cartId, (c) => removeCoupon(c, code)),

    removeDiscount: (cartId: string, discountId: string): CartView =>
      editCart(cartId, (c) => removeDiscount(c, discountId)),

    /** A new unit price for a line, with a reason; a manager approves when the till's config says so. */
    overridePrice(
      cartId: string,
      lineNo: number,
      input: {
        unitPriceMinor?: number | undefined;
        reason?: string | undefined;
        managerPin?: ManagerApproval | undefined;
      },
    ): CartView {
      const reason = checkReason(input.reason);
      if (input.unitPriceMinor === undefined) throw invalid('unitPriceMinor', 'is required');
      findLine(ctx.loadCart(cartId), lineNo);
      const approvedBy = ctx.approvals.check(
        config.approvals.priceOverride,
        input.managerPin,
        'priceOverride',
        'a price override',
        config.approvals.priceOverride ? 'price_override' : undefined,
      );
      return editCart(cartId, (c) =>
        overridePrice(c, lineNo, input.unitPriceMinor!, { reason, ...(approvedBy ? { approvedBy } : {}) }),
      );
    },

    /** Puts a customer on the cart (null takes them off); the sale event will carry the id. */
    setCustomer(cartId: string, customerId: string | null): CartView {
      if (customerId !== null && !ctx.customers.byId(customerId))
        throw notFound(`customer ${customerId}`, 'customerId');
      return editCart(cartId, (c) => {
        const { customerId: _drop, ...rest } = c;
        return customerId === null ? rest : { ...rest, customerId };
      });
    },

    /** Sets the cart aside: it keeps its lines and refuses edits and payment until resumed. */
    park(cartId: string, label?: string): CartView & { parkedAt: string; label: string | undefined } {
      if (label !== undefined && (typeof label !== 'string' || label.trim().length > 80))
        throw invalid('label', 'must be text of at most 80 characters');
      const trimmed = label?.trim() || undefined;
      ctx.refusePaying(cartId);
      const cart = ctx.loadCart(cartId);
      if (ctx.isParked(cartId)) throw conflict(`cart ${cartId} is already parked`, 'cartId');
      if (cart.lines.length === 0) throw invalid('lines', 'the cart is empty; nothing to park');
      const parkedAt = clock.now().toISOString();
      q.park.run(parkedAt, trimmed ?? null, parkedAt, cartId);
      logger.info({ cartId, label: trimmed }, 'cart parked');
      return { ...ctx.priceCart(cart), parkedAt, label: trimmed };
    },

    resume(cartId: string): CartView {
      const cart = ctx.loadCart(cartId);
      if (!ctx.isParked(cartId)) throw conflict(`cart ${cartId} is not parked`, 'cartId');
      q.resume.run(clock.now().toISOString(), cartId);
      logger.info({ cartId }, 'cart resumed');
      return ctx.priceCart(cart);
    },

    parkedCarts(): ParkedCart[] {
      const rows = q.parked.all() as {
        id: string;
        body: string;
        parked_at: string;
        park_label: string | null;
      }[];
      return rows.map((r) => {
        const view = ctx.priceCart(JSON.parse(r.body) as Cart);
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

    /** Abandons the cart before payment: appends sale.voided and deletes the cart in one transaction. */
    voidSale(cartId: string, reasonInput: unknown): VoidSaleResult {
      const reason = checkReason(reasonInput);
      ctx.refusePaying(cartId);
      return ledger.transaction(() => {
        const view = ctx.priceCart(ctx.loadCart(cartId));
        const shift = ctx.currentShift();
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

    /** Deletes a cart inside the caller's transaction (the sale that closes it). */
    deleteCart: (cartId: string): void => {
      q.deleteCart.run(cartId);
    },
  };
}
