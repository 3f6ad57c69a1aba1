import type { EventEnvelope } from '../../core/index.ts';
import { conflict, invalid, newId, notFound } from '../../core/index.ts';
import {
  type ChargedCard,
  cardAttempts,
  cardCharges,
  cardReversedSchema,
  PAYMENT_EVENT_TYPES,
} from '../../payments/index.ts';
import type { StoredValueAccount } from '../../stored-value/till/index.ts';
import {
  type GiftCardSold,
  giftCardSoldSchema,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type SaleLine,
  saleCompletedSchema,
  type Tender,
} from '../events.ts';
import type { CartView } from './cart.ts';
import { loyaltyCheckout } from './loyalty-checkout.ts';
import type { PromotionUses, ReservedUses } from './promotion-uses.ts';
import { cashStep } from './register-config.ts';
import { checkAmount, type RegisterContext } from './register-context.ts';
import { planTenders, type StoredValueRequest, type TenderPlan, type TenderRequest } from './tenders.ts';

/**
 * Paying: cards (through card-charges.ts: a durable attempt before the reader is asked, reused on a
 * retry, voided when no sale records it), gift cards and store credit, cash with rounding.
 */

export type CardTender = Extract<Tender, { kind: 'card' }>;

export interface SaleResult {
  saleId: string;
  receiptNo: string;
  seq: number;
  businessDate: string;
  occurredAt: string;
  currency: string;
  grossMinor: number;
  changeMinor: number;
  roundingMinor: number;
  tenders: Tender[];
  customerId?: string;
  loyalty?: { earned: number; burned: number; balanceAfter: number; tier: string; asOf?: string };
}

export const resultOf = (e: EventEnvelope<SaleCompleted>): SaleResult => ({
  saleId: e.payload.saleId,
  receiptNo: e.payload.receiptNo,
  seq: e.seq,
  businessDate: e.businessDate,
  occurredAt: e.occurredAt,
  currency: e.payload.currency,
  grossMinor: e.payload.grossMinor,
  changeMinor: e.payload.tenders.reduce((s, t) => s + (t.kind === 'cash' ? t.changeMinor : 0), 0),
  roundingMinor: e.payload.roundingMinor ?? 0,
  tenders: e.payload.tenders,
  ...(e.payload.customerId ? { customerId: e.payload.customerId } : {}),
});

/** What an exchange adds to a sale: the credit of the returned items, written in the same transaction. */
export interface SaleCredit {
  amountMinor: number;
  returnId: string;
  exchangeId: string;
  /** The original sale's customer: the new items earn for them when the cart names no one. */
  customerId?: string | undefined;
  /** Appends the return half; runs inside the sale's transaction with the new sale's id. */
  appendReturn(saleId: string): void;
}

export function paymentActions(ctx: RegisterContext) {
  const { provider, logger, ledger } = ctx;
  const attempts = cardAttempts(ledger.db, () => ctx.clock.now());
  const cards = cardCharges({
    provider,
    attempts,
    logger,
    timeoutMs: ctx.authorizeTimeoutMs,
    transaction: (fn) => ledger.transaction(fn),
    recordReversal(a, reason) {
      const shift = ctx.currentShift();
      const payload = cardReversedSchema.parse({
        attemptId: a.attemptId,
        cartId: a.cartId,
        tenderIndex: a.tenderIndex,
        amountMinor: a.amountMinor,
        currency: a.currency,
        provider: a.provider,
        ...(a.approval
          ? {
              token: a.approval.token,
              approvalCode: a.approval.approvalCode,
              maskedPan: a.approval.maskedPan,
              brand: a.approval.brand,
            }
          : {}),
        reason,
        ...(shift ? { shiftId: shift.shiftId, cashierId: shift.cashierId } : {}),
      });
      ledger.append(PAYMENT_EVENT_TYPES.cardReversed, payload);
    },
  });

  /** Voids approvals no record will use; one that cannot be voided now is left to the resolver. */
  const releaseCards = async (charged: readonly ChargedCard[], why: string): Promise<void> => {
    for (const c of charged) await cards.release(c.attempt, why);
  };

  /**
   * Charges each card tender in turn under the cart's reference; an approval an earlier try of the
   * same cart left open is reused, not charged again. On a decline or an unknown outcome voids the
   * cards already charged by this call and throws (402, or 503 when the outcome is not known yet).
   */
  const chargeCards = async (
    amounts: readonly number[],
    currency: string,
    cartId: string,
  ): Promise<ChargedCard[]> => {
    const charged: ChargedCard[] = [];
    for (const [tenderIndex, amountMinor] of amounts.entries()) {
      try {
        charged.push(await cards.charge({ cartId, tenderIndex, amountMinor, currency, field: 'tenders' }));
      } catch (err) {
        await releaseCards(charged, 'a later card in the same payment failed');
        throw err;
      }
    }
    return charged;
  };

  const tenderOf = (c: ChargedCard): CardTender => ({
    kind: 'card',
    amountMinor: c.attempt.amountMinor,
    provider: provider.name,
    approvalCode: c.approval.approvalCode,
    token: c.approval.token,
    maskedPan: c.approval.maskedPan,
    brand: c.approval.brand,
  });

  /** In the transaction of the record that holds the money: the approvals are that record's now. */
  const captureCards = (charged: readonly ChargedCard[], recordId: string): void =>
    attempts.capture(
      charged.map((c) => c.attempt.attemptId),
      recordId,
    );

  /** Voids every open card attempt no payment in flight owns (at start and periodically). */
  const settleOpenCards = () => cards.resolveOpen(ctx.paying);

  /** Resolves gift card and store credit tenders and checks their balances, before any card is charged. */
  const resolveStored = (
    stored: readonly StoredValueRequest[],
    currency: string,
  ): { req: StoredValueRequest; account: StoredValueAccount }[] => {
    const asked = new Map<string, number>();
    return stored.map((req) => {
      const f = `tenders[${req.index}]`;
      const account = ctx.storedValue.byCode(req.code, `${f}.code`);
      const label = req.kind === 'gift_card' ? 'gift card' : 'store credit';
      if (account.kind !== req.kind)
        throw invalid(
          `${f}.code`,
          `the code ending ${account.last4} is ${account.kind.replace('_', ' ')}, not ${label}`,
        );
      if (account.currency !== currency)
        throw invalid(
          `${f}.code`,
          `the ${label} ending ${account.last4} is in ${account.currency}, the sale in ${currency}`,
        );
      const total = (asked.get(account.accountId) ?? 0) + req.amountMinor;
      asked.set(account.accountId, total);
      if (total > account.balanceMinor)
        throw invalid(
          `${f}.amountMinor`,
          `the ${label} ending ${account.last4} holds ${account.balanceMinor}, less than the ${total} asked`,
        );
      return { req, account };
    });
  };

  return { chargeCards, releaseCards, tenderOf, captureCards, settleOpenCards, resolveStored };
}

export function checkoutActions(
  ctx: RegisterContext,
  pay: ReturnType<typeof paymentActions>,
  deleteCart: (cartId: string) => void,
  /** HQ's count of limited promotions (promotion-uses.ts); without it, limits are not counted. */
  promotionUses?: PromotionUses,
) {
  const { ledger, logger, storedValue } = ctx;
  const db = ledger.db;
  const points = loyaltyCheckout(ctx);
  const q = {
    cartSale: db.prepare('SELECT sale_id FROM cart_sales WHERE cart_id = ?').pluck(),
    recordCartSale: db.prepare('INSERT INTO cart_sales (cart_id, sale_id) VALUES (?, ?)'),
  };

  const saleLines = (view: CartView): SaleLine[] =>
    // Renumbered 1..n: gaps left by removed lines mean nothing on a receipt.
    view.lines.map((l, i) => ({
      lineNo: i + 1,
      sku: l.sku,
      name: l.name,
      qty: l.qty,
      unitPriceMinor: l.unitPriceMinor,
      taxRateBp: l.taxRateBp,
      netMinor: l.netMinor,
      taxMinor: l.taxMinor,
      grossMinor: l.grossMinor,
      ...(l.measure ? { measure: l.measure } : {}),
      ...(l.embedded ? { embedded: l.embedded } : {}),
      ...(l.discountMinor > 0
        ? { listMinor: l.listMinor, discountMinor: l.discountMinor, discounts: l.discounts }
        : {}),
      ...(l.priceOverride ? { priceOverride: l.priceOverride } : {}),
      taxRatePpm: l.taxRatePpm,
      taxClass: l.taxClass,
      tax: l.tax,
      ...(l.categoryIds?.length ? { categoryIds: l.categoryIds } : {}),
    }));

  /**
   * Pays and closes a cart. Everything that can be refused is checked before a card is charged; the
   * sale event, gift card debits, the cart's deletion (and an exchange's return) commit together.
   */
  const complete = async (
    cartId: string,
    tenderRequests: TenderRequest[],
    credit?: SaleCredit,
  ): Promise<SaleResult> => {
    // A retried "complete" whose first answer was lost gets the same sale, not a 404.
    const done = q.cartSale.get(cartId) as string | undefined;
    if (done !== undefined) return points.withPoints(resultOf(ctx.sale(done)));
    if (ctx.paying.has(cartId)) throw conflict(`cart ${cartId} is already being paid`, 'cartId');
    const loaded = ctx.loadCart(cartId);
    const customerId = loaded.customerId ?? credit?.customerId;
    const cart = customerId ? { ...loaded, customerId } : loaded;
    ctx.refuseParked(cartId);
    if (cart.lines.length === 0) throw invalid('lines', 'the cart is empty');
    const shift = ctx.currentShift();
    if (!shift) throw conflict('open a shift before selling', 'shift');
    // Priced at the sale time: the promotions and happy hours in force as the customer pays.
    const view = ctx.priceCart(cart);
    const creditUsed = Math.min(credit?.amountMinor ?? 0, view.totals.grossMinor);
    const due = view.totals.grossMinor - creditUsed;
    const plan: TenderPlan =
      due === 0 && (tenderRequests ?? []).length === 0
        ? { cards: [], stored: [], cash: undefined, changeMinor: 0, roundingMinor: 0 }
        : planTenders(due, points.priceTenders(tenderRequests, cart.customerId, view.currency), {
            cashStepMinor: cashStep(ctx.config, view.currency),
          });
    ctx.paying.add(cartId);
    let uses: ReservedUses | undefined;
    try {
      // Limited promotions first: a refusal re-prices the cart before any money moves.
      uses = await promotionUses?.reserve(cart, view);
      // A card sold or spent at another till: HQ's account and balance first (the till's own offline).
      for (const r of plan.stored) await storedValue.refresh(r.code);
      const stored = pay.resolveStored(plan.stored, view.currency);
      const pointsHold = await points.hold(cart.customerId, plan);
      let holds: Awaited<ReturnType<typeof storedValue.holdAll>>;
      try {
        holds = await storedValue.holdAll(
          stored.map(({ req, account }) => ({
            account,
            code: req.code,
            amountMinor: req.amountMinor,
            field: `tenders[${req.index}].amountMinor`,
          })),
        );
      } catch (err) {
        await points.release(pointsHold);
        throw err;
      }
      let charged: ChargedCard[];
      try {
        charged = await pay.chargeCards(plan.cards, cart.currency, cartId);
      } catch (err) {
        await storedValue.release(holds);
        await points.release(pointsHold);
        throw err;
      }
      let event: EventEnvelope<SaleCompleted>;
      try {
        event = ledger.transaction(() => {
          // The cart must be the one priced above: edits are refused while paying, but be sure.
          if (q.cartSale.get(cartId) !== undefined || !ctx.isCartPresent(cartId))
            throw notFound(`cart ${cartId}`, 'cartId');
          ctx.refuseParked(cartId);
          const saleId = newId();
          const tenders: Tender[] = charged.map(pay.tenderOf);
          pay.captureCards(charged, saleId);
          for (const [k, { req, account }] of stored.entries())
            tenders.push({
              kind: req.kind,
              amountMinor: req.amountMinor,
              accountId: account.accountId,
              last4: account.last4,
              ...storedValue.settle(holds[k]!),
            });
          tenders.push(...points.tender(plan, pointsHold));
          if (creditUsed > 0 && credit)
            tenders.push({ kind: 'exchange_credit', amountMinor: creditUsed, returnId: credit.returnId });
          if (plan.cash) tenders.push({ kind: 'cash', ...plan.cash });
          credit?.appendReturn(saleId);
          uses?.commit();
          const n = ctx.nextCounter(`receipt:${ledger.terminalId}`);
          const payload = saleCompletedSchema.parse({
            saleId,
            receiptNo: `${ledger.terminalId}-${String(n).padStart(6, '0')}`,
            shiftId: shift.shiftId,
            cashierId: shift.cashierId,
            currency: view.currency,
            taxInclusive: view.taxInclusive,
            lines: saleLines(view),
            netMinor: view.totals.netMinor,
            taxMinor: view.totals.taxMinor,
            grossMinor: view.totals.grossMinor,
            tenders,
            ...(view.totals.discountMinor > 0 ? { discountMinor: view.totals.discountMinor } : {}),
            ...(plan.roundingMinor !== 0 ? { roundingMinor: plan.roundingMinor } : {}),
            ...(cart.customerId ? { customerId: cart.customerId } : {}),
            ...(credit ? { exchangeId: credit.exchangeId } : {}),
            pricedAt: view.pricedAt,
            ...(view.promotions.length > 0
              ? {
                  promotions: view.promotions.map((p) => ({
                    promotionId: p.promotionId,
                    name: p.name,
                    kind: p.kind,
                    amountMinor: p.amountMinor,
                    ...(p.couponCode ? { couponCode: p.couponCode } : {}),
                    ...uses?.mark(p.promotionId),
                  })),
                }
              : {}),
            ...(view.couponCodes.length > 0 ? { couponCodes: view.couponCodes } : {}),
            ...(view.taxJurisdictionId ? { taxJurisdictionId: view.taxJurisdictionId } : {}),
          });
          const e = ledger.append(SALES_EVENT_TYPES.saleCompleted, payload, {
            also: () => {
              deleteCart(cartId);
              q.recordCartSale.run(cartId, saleId);
            },
          });
          points.record(e.payload, plan, pointsHold);
          return e;
        });
      } catch (err) {
        await pay.releaseCards(charged, 'the sale could not be recorded');
        await storedValue.release(holds);
        await points.release(pointsHold);
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
      return points.withPoints(resultOf(event));
    } catch (err) {
      // Whatever stopped the sale, the uses HQ reserved for it go back.
      await uses?.release();
      throw err;
    } finally {
      ctx.paying.delete(cartId);
    }
  };

  /**
   * Sells a new gift card (`code` of a pre-printed card, or one is made up) or loads an existing one,
   * paid in cash or by card. The code is answered once, on issue; the till keeps only its hash.
   */
  const sellGiftCard = async (input: {
    code?: string | undefined;
    amountMinor?: number | undefined;
    tenders: TenderRequest[];
    load: boolean;
  }): Promise<GiftCardSold & { seq: number; eventId: string; code?: string }> => {
    const amountMinor = checkAmount(input.amountMinor);
    const store = ctx.requireStore();
    const shift = ctx.requireOpen('selling a gift card');
    if (input.load) await ctx.storedValue.refresh(input.code);
    const existing = input.load ? ctx.storedValue.byCode(input.code ?? '', 'code') : undefined;
    if (existing && existing.kind !== 'gift_card')
      throw invalid('code', `the code ending ${existing.last4} is not a gift card`);
    if (input.tenders.some((t) => t.kind !== 'cash' && t.kind !== 'card'))
      throw invalid('tenders', 'a gift card is paid in cash or by card');
    const plan = planTenders(amountMinor, input.tenders);
    // A gift card sale has no cart: its card attempts hang on a reference of their own, marked in flight
    // so the resolver leaves them alone until this sale is recorded or given up.
    const reference = `giftcard:${newId()}`;
    ctx.paying.add(reference);
    try {
      return await recordGiftCard(reference);
    } finally {
      ctx.paying.delete(reference);
    }

    async function recordGiftCard(reference: string) {
      const charged = await pay.chargeCards(plan.cards, store.currency, reference);
      try {
        return ledger.transaction(() => {
          const opened = existing ? undefined : ctx.storedValue.open('gift_card', store.currency, input.code);
          const account = existing ?? opened!;
          const balanceMinor = ctx.storedValue.credit(account.accountId, amountMinor);
          const tenders: GiftCardSold['tenders'] = charged.map(pay.tenderOf);
          if (plan.cash) tenders.push({ kind: 'cash', ...plan.cash });
          const payload = giftCardSoldSchema.parse({
            accountId: account.accountId,
            last4: account.last4,
            currency: store.currency,
            amountMinor,
            balanceMinor,
            shiftId: shift.shiftId,
            cashierId: shift.cashierId,
            tenders,
            codeHash: account.codeHash,
          });
          const type = existing ? SALES_EVENT_TYPES.giftCardLoaded : SALES_EVENT_TYPES.giftCardIssued;
          const e = ledger.append(type, payload);
          pay.captureCards(charged, e.id);
          logger.info(
            { type, accountId: account.accountId, amountMinor, balanceMinor, seq: e.seq },
            'gift card sold',
          );
          return { ...payload, seq: e.seq, eventId: e.id, ...(opened ? { code: opened.code } : {}) };
        });
      } catch (err) {
        await pay.releaseCards(charged, 'the gift card could not be recorded');
        throw err;
      }
    }
  };

  return { complete, sellGiftCard };
}
