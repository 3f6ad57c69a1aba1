import type { EventEnvelope } from '../../core/index.ts';
import { allocate, conflict, invalid, mulDiv, newId, notFound, TallyError } from '../../core/index.ts';
import { lineAmounts } from '../../pricing/index.ts';
import {
  type FailedRefund,
  type Refund,
  type ReturnLine,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type SaleLine,
  type SaleReturned,
  saleReturnedSchema,
} from '../events.ts';
import type { ManagerApproval } from './approvals.ts';
import type { checkoutActions, SaleResult } from './checkout.ts';
import { loyaltyReturns, type PointsRefund, pointsBack } from './loyalty-returns.ts';
import { checkReason, type RegisterContext, type ShiftView } from './register-context.ts';
import type { TenderRequest } from './tenders.ts';

/**
 * Returns at the price actually paid, with or without a receipt, voids after payment and exchanges.
 * Card refunds go back by token; when a later card fails after an earlier one was refunded, the
 * failure is recorded on the event and its amount goes back by the till's fallback (store credit or
 * cash), so the customer gets every cent and the ledger says how.
 */
export type RefundTo = 'original' | 'cash' | 'store_credit';

/** A return against a receipt of this till: which lines, how many units, where the money goes. */
export interface ReturnInput {
  receiptNo?: string | undefined;
  saleId?: string | undefined;
  lines?: { lineNo: number; qty: number }[] | undefined;
  refundTo?: RefundTo | undefined;
  reason?: string | undefined;
  managerPin?: ManagerApproval | undefined;
}

export interface ReturnResult {
  returnId: string;
  refundMinor: number;
  refunds: Refund[];
  failedRefunds: FailedRefund[];
  /** The code of a store-credit voucher issued by this return, shown once to print on the voucher. */
  storeCreditCode?: string;
  seq: number;
}

/** A sale as seen at the returns desk: each line with how many units were returned and may still be. */
export interface ReturnableSale extends SaleCompleted {
  seq: number;
  occurredAt: string;
  lines: (SaleLine & { returnedQty: number; returnableQty: number })[];
}

export interface NoReceiptReturnInput {
  lines?: { code: string; qty: number }[] | undefined;
  reason?: string | undefined;
  managerPin?: ManagerApproval | undefined;
}

export interface ExchangeInput extends ReturnInput {
  /** The cart holding the new items. */
  cartId?: string | undefined;
  /** Tenders for the difference when the new items cost more. */
  tenders?: TenderRequest[] | undefined;
}

const REFUND_TO: readonly RefundTo[] = ['original', 'cash', 'store_credit'];

/** Units of each original line returned so far, by line number. */
const returnedQty = (earlier: readonly SaleReturned[]): Map<number, number> => {
  const m = new Map<number, number>();
  for (const r of earlier)
    for (const l of r.lines)
      if (l.originalLineNo !== undefined) m.set(l.originalLineNo, (m.get(l.originalLineNo) ?? 0) + l.qty);
  return m;
};

/**
 * The refund for units [from, from + qty) of a line: the line's gross and tax split per unit with
 * allocate(), so any sequence of partial returns adds up to exactly the line once every unit is back.
 */
export const unitsRefund = (l: SaleLine, from: number, qty: number): ReturnLine => {
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
export const planReturn = (
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

const sumLines = (lines: readonly ReturnLine[]) =>
  lines.reduce(
    (t, l) => ({
      netMinor: t.netMinor + l.netMinor,
      taxMinor: t.taxMinor + l.taxMinor,
      grossMinor: t.grossMinor + l.grossMinor,
    }),
    { netMinor: 0, taxMinor: 0, grossMinor: 0 },
  );

/** Money that goes back inside the ledger transaction: to gift cards, a new voucher, or cash. */
interface Settlement {
  cardRefunds: Refund[];
  failed: FailedRefund[];
  storedBack: { accountId: string; last4: string; kind: 'gift_card' | 'store_credit'; amountMinor: number }[];
  newStoreCredit: number;
  cash: number;
  /** Points that paid for the sale, given back (loyalty-returns.ts). */
  pointsBack?: PointsRefund | undefined;
}

export function returnActions(ctx: RegisterContext, checkout: ReturnType<typeof checkoutActions>) {
  const { ledger, provider, logger, config, storedValue } = ctx;
  const points = loyaltyReturns(ctx);

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

  const checkRefundTo = (v: unknown): RefundTo => {
    const r = (v ?? 'original') as RefundTo;
    if (!REFUND_TO.includes(r))
      throw invalid('refundTo', `must be "original", "cash" or "store_credit", got ${String(v)}`);
    return r;
  };

  /**
   * Sends `amount` back. `original`: cards by token up to what each paid (less earlier refunds), then
   * gift cards and store credit used on the sale, then cash. A card that fails before any card was
   * refunded stops the return (402, nothing recorded); one that fails after is recorded and its amount
   * goes to the fallback, because the earlier refund cannot be taken back.
   */
  const settle = async (
    sale: SaleCompleted | undefined,
    amount: number,
    refundTo: RefundTo,
  ): Promise<Settlement> => {
    const s: Settlement = { cardRefunds: [], failed: [], storedBack: [], newStoreCredit: 0, cash: 0 };
    let left = amount;
    if (refundTo === 'store_credit') return { ...s, newStoreCredit: amount };
    if (refundTo === 'original' && sale) {
      const earlier = new Map<string, number>();
      for (const r of returnsOf(sale.saleId))
        for (const f of r.refunds) {
          const key = f.kind === 'card' ? f.token : 'accountId' in f ? f.accountId : '';
          if (key) earlier.set(key, (earlier.get(key) ?? 0) + f.amountMinor);
        }
      for (const t of sale.tenders) {
        if (t.kind !== 'card' || left === 0) continue;
        const amountMinor = Math.min(left, t.amountMinor - (earlier.get(t.token) ?? 0));
        if (amountMinor <= 0) continue;
        const r = await provider
          .refund(t.token, amountMinor)
          .catch((err: unknown) => ({ status: 'failed' as const, reason: String(err) }));
        if (r.status !== 'refunded') {
          logger.info({ saleId: sale.saleId, amountMinor, reason: r.reason }, 'card refund failed');
          if (s.cardRefunds.length === 0)
            throw new TallyError(
              'payment_declined',
              `refundTo: the card refund failed (${r.reason}); nothing was returned — try again or refund in cash`,
              'refundTo',
            );
          s.failed.push({ maskedPan: t.maskedPan, amountMinor, reason: r.reason });
          left -= amountMinor;
          if (config.refundFallback === 'cash') s.cash += amountMinor;
          else s.newStoreCredit += amountMinor;
          logger.warn(
            { saleId: sale.saleId, amountMinor, fallback: config.refundFallback },
            'card refund failed after an earlier card was refunded; paid back by the fallback instead',
          );
          continue;
        }
        s.cardRefunds.push({
          kind: 'card',
          amountMinor,
          token: t.token,
          maskedPan: t.maskedPan,
          refundRef: r.refundId,
        });
        left -= amountMinor;
      }
      for (const t of sale.tenders) {
        if ((t.kind !== 'gift_card' && t.kind !== 'store_credit') || left === 0) continue;
        const amountMinor = Math.min(left, t.amountMinor - (earlier.get(t.accountId) ?? 0));
        if (amountMinor <= 0) continue;
        s.storedBack.push({ accountId: t.accountId, last4: t.last4, kind: t.kind, amountMinor });
        left -= amountMinor;
      }
      s.pointsBack = pointsBack(sale, returnsOf(sale.saleId), left);
      left -= s.pointsBack?.amountMinor ?? 0;
    }
    s.cash += left;
    return s;
  };

  /** Appends sale.returned with the settlement's in-store refunds; runs inside a ledger transaction. */
  const record = (
    base: Omit<SaleReturned, 'refunds' | 'currency' | 'shiftId' | 'cashierId' | 'totals'>,
    shift: ShiftView,
    currency: string,
    s: Settlement,
    extra: Refund[] = [],
  ): { e: EventEnvelope<SaleReturned>; code: string | undefined } => {
    const refunds: Refund[] = [...extra, ...s.cardRefunds];
    for (const b of s.storedBack) {
      storedValue.credit(b.accountId, b.amountMinor);
      const codeHash = storedValue.byId(b.accountId)?.codeHash;
      refunds.push({
        kind: b.kind,
        amountMinor: b.amountMinor,
        accountId: b.accountId,
        last4: b.last4,
        ...(codeHash ? { codeHash } : {}),
      });
    }
    let code: string | undefined;
    if (s.newStoreCredit > 0) {
      const a = storedValue.open('store_credit', currency);
      storedValue.credit(a.accountId, s.newStoreCredit);
      refunds.push({
        kind: 'store_credit',
        amountMinor: s.newStoreCredit,
        accountId: a.accountId,
        last4: a.last4,
        codeHash: a.codeHash,
      });
      code = a.code;
    }
    if (s.pointsBack) refunds.push({ kind: 'loyalty_points', ...s.pointsBack });
    if (s.cash > 0) refunds.push({ kind: 'cash', amountMinor: s.cash });
    const payload = saleReturnedSchema.parse({
      ...base,
      shiftId: shift.shiftId,
      cashierId: shift.cashierId,
      currency,
      totals: sumLines(base.lines),
      refunds,
      ...(s.failed.length > 0 ? { failedRefunds: s.failed } : {}),
    });
    return { e: ledger.append(SALES_EVENT_TYPES.saleReturned, payload), code };
  };

  const resultFrom = (r: { e: EventEnvelope<SaleReturned>; code: string | undefined }): ReturnResult => ({
    returnId: r.e.payload.returnId,
    refundMinor: r.e.payload.totals.grossMinor,
    refunds: r.e.payload.refunds,
    failedRefunds: r.e.payload.failedRefunds ?? [],
    ...(r.code ? { storeCreditCode: r.code } : {}),
    seq: r.e.seq,
  });

  const returnAgainstSale = async (input: ReturnInput, postVoid: boolean): Promise<ReturnResult> => {
    const refundTo = checkRefundTo(input.refundTo);
    const reason = checkReason(input.reason);
    const original = originalSale(input);
    const sale = original.payload;
    if (ctx.returning.has(sale.saleId))
      throw conflict(`a return of receipt ${sale.receiptNo} is already in progress`, 'receiptNo');
    const shift = ctx.requireOpen(postVoid ? 'voiding a sale' : 'a return');
    const earlier = returnsOf(sale.saleId);
    const wanted = postVoid
      ? (() => {
          const done = returnedQty(earlier);
          const all = sale.lines
            .map((l) => ({ lineNo: l.lineNo, qty: l.qty - (done.get(l.lineNo) ?? 0) }))
            .filter((l) => l.qty > 0);
          if (all.length === 0)
            throw conflict(`receipt ${sale.receiptNo} was already returned in full`, 'receiptNo');
          return all;
        })()
      : input.lines;
    const lines = planReturn(sale, wanted, earlier);
    const approvedBy = postVoid
      ? ctx.approvals.check(
          config.approvals.voidAfterPayment,
          input.managerPin,
          'voidAfterPayment',
          'voiding a paid sale',
          config.approvals.voidAfterPayment ? 'void_sale' : undefined,
        )
      : undefined;
    const refundMinor = lines.reduce((s, l) => s + l.grossMinor, 0);
    ctx.returning.add(sale.saleId);
    try {
      const s = await settle(sale, refundMinor, refundTo);
      try {
        const r = ledger.transaction(() => {
          const done = record(
            {
              returnId: newId(),
              originalSaleId: sale.saleId,
              originalReceiptNo: sale.receiptNo,
              lines,
              reason,
              ...(postVoid ? { postVoid: true } : {}),
              ...(approvedBy ? { approvedBy } : {}),
            },
            shift,
            sale.currency,
            s,
          );
          points.record(sale, earlier, done.e.payload);
          return done;
        });
        logger.info(
          { returnId: r.e.payload.returnId, receiptNo: sale.receiptNo, refundMinor, seq: r.e.seq },
          'items returned',
        );
        return resultFrom(r);
      } catch (err) {
        if (s.cardRefunds.length > 0)
          logger.error(
            { saleId: sale.saleId, refunds: s.cardRefunds, err },
            'card refunded but the return was not recorded',
          );
        throw err;
      }
    } finally {
      ctx.returning.delete(sale.saleId);
    }
  };

  /** The lowest unit price (gross) this till sold `sku` at since `sinceDate`, undefined when never. */
  const lowestRecentUnit = ledger.db
    .prepare(
      `SELECT MIN(json_extract(l.value, '$.grossMinor') / json_extract(l.value, '$.qty'))
       FROM ledger e, json_each(e.payload, '$.lines') l
      WHERE e.type = 'sale.completed' AND e.business_date >= ?
        AND json_extract(l.value, '$.sku') = ? AND json_extract(l.value, '$.measure') IS NULL`,
    )
    .pluck();

  return {
    /** The sale with this receipt number (what the receipt's barcode carries), with returnable quantities. */
    saleByReceipt(receiptNo: string): ReturnableSale {
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

    returnItems: (input: ReturnInput) => returnAgainstSale(input, false),

    /** Voids a paid sale: every line not yet returned comes back, every tender is refunded. */
    voidPaidSale: (input: {
      saleId?: string;
      receiptNo?: string;
      reason?: string;
      refundTo?: RefundTo;
      managerPin?: ManagerApproval | undefined;
    }) => returnAgainstSale({ ...input, lines: undefined }, true),

    /**
     * Items brought back without a receipt: store credit at the lowest price this till sold each at
     * within the configured days (or the shelf price, if lower), with a manager's approval.
     */
    returnWithoutReceipt(input: NoReceiptReturnInput): ReturnResult {
      if (!config.noReceiptReturns.allowed)
        throw new TallyError(
          'forbidden',
          'receiptNo: this store takes returns with a receipt only',
          'receiptNo',
        );
      const reason = checkReason(input.reason);
      if (!Array.isArray(input.lines) || input.lines.length === 0)
        throw invalid('lines', 'list the items to return as {code, qty}');
      const store = ctx.requireStore();
      const shift = ctx.requireOpen('a return');
      const since = new Date(ctx.clock.now().getTime() - config.noReceiptReturns.lookbackDays * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const lines: ReturnLine[] = input.lines.map((r, i) => {
        const p = ctx.items.lookup(typeof r?.code === 'string' ? r.code.trim() : '');
        if (!p) throw notFound(`product "${String(r?.code)}"`, `lines[${i}].code`);
        if (!Number.isSafeInteger(r.qty) || r.qty <= 0)
          throw invalid(`lines[${i}].qty`, `must be a whole number above 0, got ${String(r.qty)}`);
        const shelf = lineAmounts(
          { qty: 1, unitPriceMinor: p.priceMinor, taxRateBp: p.taxRateBp },
          { inclusive: store.taxInclusive },
        ).grossMinor;
        const sold = lowestRecentUnit.get(since, p.sku) as number | null;
        const unit = sold === null ? shelf : Math.min(shelf, sold);
        const grossMinor = unit * r.qty;
        const taxMinor = mulDiv(grossMinor, p.taxRateBp, 10_000 + p.taxRateBp);
        return {
          sku: p.sku,
          qty: r.qty,
          taxRateBp: p.taxRateBp,
          netMinor: grossMinor - taxMinor,
          taxMinor,
          grossMinor,
        };
      });
      const approvedBy = ctx.approvals.check(
        config.approvals.returnWithoutReceipt,
        input.managerPin,
        'returnWithoutReceipt',
        'a return without a receipt',
        config.approvals.returnWithoutReceipt ? 'refund_without_receipt' : undefined,
      );
      const refundMinor = lines.reduce((s, l) => s + l.grossMinor, 0);
      const s: Settlement = {
        cardRefunds: [],
        failed: [],
        storedBack: [],
        newStoreCredit: refundMinor,
        cash: 0,
      };
      const r = ledger.transaction(() =>
        record(
          { returnId: newId(), lines, reason, withoutReceipt: true, ...(approvedBy ? { approvedBy } : {}) },
          shift,
          store.currency,
          s,
        ),
      );
      logger.info(
        { returnId: r.e.payload.returnId, refundMinor, approvedBy, seq: r.e.seq },
        'items returned without a receipt',
      );
      return resultFrom(r);
    },

    /**
     * Returns lines of a sale and sells the cart's new items in one ledger transaction. The returned
     * value pays for the new items first; tenders cover a shortfall, `refundTo` gets a surplus.
     */
    async exchange(input: ExchangeInput): Promise<{ sale: SaleResult; return: ReturnResult }> {
      const refundTo = checkRefundTo(input.refundTo);
      const reason = checkReason(input.reason);
      if (typeof input.cartId !== 'string' || input.cartId === '')
        throw invalid('cartId', 'the cart with the new items is required');
      const original = originalSale(input);
      const sale = original.payload;
      const shift = ctx.requireOpen('an exchange');
      const earlier = returnsOf(sale.saleId);
      const lines = planReturn(sale, input.lines, earlier);
      const credit = lines.reduce((s, l) => s + l.grossMinor, 0);
      // What checkout would charge: with the store's promotions and tax, not the bare cart.
      // Priced for the original sale's customer when the cart names no one, as checkout will.
      const cart = ctx.loadCart(input.cartId);
      const buyer = cart.customerId ?? sale.customerId;
      const newGross = ctx.priceCart(buyer ? { ...cart, customerId: buyer } : cart).totals.grossMinor;
      const surplus = Math.max(0, credit - newGross);
      if (ctx.returning.has(sale.saleId))
        throw conflict(`a return of receipt ${sale.receiptNo} is already in progress`, 'receiptNo');
      ctx.returning.add(sale.saleId);
      try {
        const s = surplus > 0 ? await settle(sale, surplus, refundTo) : undefined;
        const returnId = newId();
        const exchangeId = newId();
        let recorded: { e: EventEnvelope<SaleReturned>; code: string | undefined } | undefined;
        const result = await checkout.complete(input.cartId, input.tenders ?? [], {
          amountMinor: credit,
          returnId,
          exchangeId,
          ...(sale.customerId ? { customerId: sale.customerId } : {}),
          appendReturn: (saleId) => {
            recorded = record(
              {
                returnId,
                originalSaleId: sale.saleId,
                originalReceiptNo: sale.receiptNo,
                lines,
                reason,
                exchangeId,
              },
              shift,
              sale.currency,
              s ?? { cardRefunds: [], failed: [], storedBack: [], newStoreCredit: 0, cash: 0 },
              [{ kind: 'exchange', amountMinor: credit - surplus, saleId }],
            );
            // The returned side's points come off (and points it paid with come back) as on any return.
            points.record(sale, earlier, recorded.e.payload);
          },
        });
        if (!recorded) throw new Error('exchange: the return half was not recorded');
        logger.info({ exchangeId, credit, newGross, surplus }, 'exchange completed');
        return { sale: result, return: resultFrom(recorded) };
      } finally {
        ctx.returning.delete(sale.saleId);
      }
    },
  };
}
