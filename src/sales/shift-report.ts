import { z } from 'zod';
import type { EventEnvelope } from '../core/event.ts';
import { type CardReversed, PAYMENT_EVENT_TYPES } from '../payments/events.ts';
import {
  type CartLineVoided,
  type CashCount,
  type DrawerCashDrop,
  type DrawerNoSale,
  type DrawerPaidOut,
  type GiftCardSold,
  SALES_EVENT_TYPES,
  type SaleCompleted,
  type SaleReturned,
  type SaleVoided,
  type ShiftOpened,
} from './events.ts';

/**
 * X and Z reports, computed from a shift's ledger events only. Pure: nothing here reads or writes
 * the ledger, so an X report can be printed as often as the manager likes and a Z report is exactly
 * what the events say. Amounts are integer minor units.
 */
const int = z.number().int();
const movementSchema = z.object({
  seq: int,
  occurredAt: z.string(),
  amountMinor: int,
  reason: z.string(),
});
const totalSchema = z.object({ count: int, totalMinor: int });

export const shiftReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  /** Present on a Z report: its number, gap-free per terminal. */
  zNumber: int.optional(),
  shiftId: z.string(),
  cashierId: z.string(),
  currency: z.string(),
  openedAt: z.string(),
  /** occurredAt of the newest event the report includes. */
  asOf: z.string(),
  /** seq of the newest event the report includes. */
  upToSeq: int,
  sales: z.object({ count: int, netMinor: int, taxMinor: int, grossMinor: int }),
  taxByRate: z.array(z.object({ taxRateBp: int, netMinor: int, taxMinor: int, grossMinor: int })),
  tenders: z.array(z.object({ kind: z.string(), count: int, amountMinor: int })),
  cashDrops: totalSchema.extend({ items: z.array(movementSchema) }),
  paidOuts: totalSchema.extend({ items: z.array(movementSchema) }),
  noSales: z.object({
    count: int,
    items: z.array(z.object({ seq: int, occurredAt: z.string(), reason: z.string() })),
  }),
  /** Returns against receipts: how many and their gross, with the part refunded in cash and to cards. */
  returns: totalSchema.extend({ cashMinor: int, cardMinor: int, storeCreditMinor: int.default(0) }),
  /** Voids before payment: whole sales and single lines; count and gross are the two added up. */
  voids: totalSchema.extend({ sales: totalSchema, lines: totalSchema }),
  /** Cashier discounts (line and basket) on the shift's sales: how many were given and how much. */
  discounts: totalSchema,
  /** Gift cards sold or loaded, and the part paid in cash (it is in the drawer). */
  giftCards: totalSchema.extend({ cashMinor: int }),
  /** Store credit given on returns and taken as a tender. */
  storeCredit: z.object({ issuedMinor: int, redeemedMinor: int }),
  /**
   * Card charges no sale used, voided at the processor (a failed sale, a till stopped mid-payment):
   * money that went out and came back, listed so the processor's statement can be matched.
   */
  cardReversals: totalSchema.default({ count: 0, totalMinor: 0 }),
  cash: z.object({
    openingFloatMinor: int,
    /** Cash kept from sales: what was tendered less the change given. */
    cashSalesMinor: int,
    cashDropsMinor: int,
    paidOutsMinor: int,
    /** Cash handed back to customers for returns. */
    cashRefundsMinor: int,
    /** Cash taken for gift cards sold or loaded. */
    giftCardCashMinor: int.default(0),
    /** Cash rounding to the smallest coin, already inside cashSalesMinor. */
    roundingMinor: int.default(0),
    expectedMinor: int,
    /** Absent on an X report and on a Z report closed without a count. */
    countedMinor: int.optional(),
    /** counted − expected: negative when the drawer is short. */
    differenceMinor: int.optional(),
    counted: z.object({ denominations: z.array(z.object({ valueMinor: int, count: int })) }).optional(),
  }),
});
export type ShiftReport = z.infer<typeof shiftReportSchema>;

/** The total of a count by denomination. */
export const countedTotal = (count: CashCount): number =>
  count.denominations.reduce((s, d) => s + d.valueMinor * d.count, 0);

const openingOf = (events: readonly EventEnvelope[]): EventEnvelope<ShiftOpened> => {
  const opened = events.find((e) => e.type === SALES_EVENT_TYPES.shiftOpened);
  if (!opened) throw new Error('shift report: the events hold no shift.opened');
  return opened as EventEnvelope<ShiftOpened>;
};

/**
 * The report of the shift opened by the first shift.opened in `events`. Events of other shifts and
 * of types the report does not know are ignored, so the caller may pass a plain ledger range.
 */
export function shiftReport(
  events: readonly EventEnvelope[],
  opts: { kind: 'X' } | { kind: 'Z'; zNumber: number; counted?: CashCount; countedCashMinor?: number },
): ShiftReport {
  const opened = openingOf(events);
  const shift = opened.payload;
  const mine = events.filter(
    (e) => e.seq >= opened.seq && (e.payload as { shiftId?: unknown }).shiftId === shift.shiftId,
  );
  const last = mine.reduce((a, e) => (e.seq > a.seq ? e : a), opened);

  const sales = { count: 0, netMinor: 0, taxMinor: 0, grossMinor: 0 };
  const byRate = new Map<
    number,
    { taxRateBp: number; netMinor: number; taxMinor: number; grossMinor: number }
  >();
  const tenders = new Map<string, { kind: string; count: number; amountMinor: number }>([
    ['cash', { kind: 'cash', count: 0, amountMinor: 0 }],
    ['card', { kind: 'card', count: 0, amountMinor: 0 }],
  ]);
  const drops: ShiftReport['cashDrops']['items'] = [];
  const paidOuts: ShiftReport['paidOuts']['items'] = [];
  const noSales: ShiftReport['noSales']['items'] = [];
  const returns = { count: 0, totalMinor: 0, cashMinor: 0, cardMinor: 0, storeCreditMinor: 0 };
  const discounts = { count: 0, totalMinor: 0 };
  const giftCards = { count: 0, totalMinor: 0, cashMinor: 0 };
  const storeCredit = { issuedMinor: 0, redeemedMinor: 0 };
  let roundingMinor = 0;
  const voidedSales = { count: 0, totalMinor: 0 };
  const voidedLines = { count: 0, totalMinor: 0 };
  const cardReversals = { count: 0, totalMinor: 0 };

  for (const e of mine) {
    if (e.type === SALES_EVENT_TYPES.saleCompleted) {
      const s = e.payload as SaleCompleted;
      sales.count++;
      sales.netMinor += s.netMinor;
      sales.taxMinor += s.taxMinor;
      sales.grossMinor += s.grossMinor;
      roundingMinor += s.roundingMinor ?? 0;
      // A basket discount is spread over lines; count it once per sale.
      const given = new Set<string>();
      for (const l of s.lines) {
        for (const d of l.discounts ?? []) {
          // Promotions are the chain's pricing, not a cashier's decision.
          if (d.source === 'promotion') continue;
          given.add(d.id);
          discounts.totalMinor += d.amountMinor;
        }
        const r = byRate.get(l.taxRateBp) ?? {
          taxRateBp: l.taxRateBp,
          netMinor: 0,
          taxMinor: 0,
          grossMinor: 0,
        };
        r.netMinor += l.netMinor;
        r.taxMinor += l.taxMinor;
        r.grossMinor += l.grossMinor;
        byRate.set(l.taxRateBp, r);
      }
      discounts.count += given.size;
      for (const t of s.tenders) {
        const r = tenders.get(t.kind) ?? { kind: t.kind, count: 0, amountMinor: 0 };
        r.count++;
        r.amountMinor += t.amountMinor;
        tenders.set(t.kind, r);
        if (t.kind === 'store_credit') storeCredit.redeemedMinor += t.amountMinor;
      }
    } else if (e.type === SALES_EVENT_TYPES.cashDrop || e.type === SALES_EVENT_TYPES.paidOut) {
      const p = e.payload as DrawerCashDrop | DrawerPaidOut;
      const item = { seq: e.seq, occurredAt: e.occurredAt, amountMinor: p.amountMinor, reason: p.reason };
      (e.type === SALES_EVENT_TYPES.cashDrop ? drops : paidOuts).push(item);
    } else if (e.type === SALES_EVENT_TYPES.noSale) {
      const p = e.payload as DrawerNoSale;
      noSales.push({ seq: e.seq, occurredAt: e.occurredAt, reason: p.reason });
    } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
      const r = e.payload as SaleReturned;
      returns.count++;
      returns.totalMinor += r.totals.grossMinor;
      for (const f of r.refunds) {
        if (f.kind === 'cash') returns.cashMinor += f.amountMinor;
        else if (f.kind === 'card') returns.cardMinor += f.amountMinor;
        else if (f.kind === 'store_credit') {
          returns.storeCreditMinor += f.amountMinor;
          storeCredit.issuedMinor += f.amountMinor;
        }
      }
    } else if (e.type === SALES_EVENT_TYPES.giftCardIssued || e.type === SALES_EVENT_TYPES.giftCardLoaded) {
      const g = e.payload as GiftCardSold;
      giftCards.count++;
      giftCards.totalMinor += g.amountMinor;
      for (const t of g.tenders) if (t.kind === 'cash') giftCards.cashMinor += t.amountMinor;
    } else if (e.type === SALES_EVENT_TYPES.saleVoided) {
      voidedSales.count++;
      voidedSales.totalMinor += (e.payload as SaleVoided).grossMinor;
    } else if (e.type === SALES_EVENT_TYPES.cartLineVoided) {
      voidedLines.count++;
      voidedLines.totalMinor += (e.payload as CartLineVoided).grossMinor;
    } else if (e.type === PAYMENT_EVENT_TYPES.cardReversed) {
      cardReversals.count++;
      cardReversals.totalMinor += (e.payload as CardReversed).amountMinor;
    }
  }

  const sum = (xs: { amountMinor: number }[]): number => xs.reduce((s, x) => s + x.amountMinor, 0);
  const cashSalesMinor = tenders.get('cash')?.amountMinor ?? 0;
  const cashDropsMinor = sum(drops);
  const paidOutsMinor = sum(paidOuts);
  const cashRefundsMinor = returns.cashMinor;
  const expectedMinor =
    shift.openingFloatMinor +
    cashSalesMinor +
    giftCards.cashMinor -
    cashDropsMinor -
    paidOutsMinor -
    cashRefundsMinor;

  let countedMinor: number | undefined;
  let counted: CashCount | undefined;
  if (opts.kind === 'Z') {
    if (opts.counted) {
      counted = opts.counted;
      countedMinor = countedTotal(opts.counted);
    } else countedMinor = opts.countedCashMinor;
  }

  return {
    kind: opts.kind,
    ...(opts.kind === 'Z' ? { zNumber: opts.zNumber } : {}),
    shiftId: shift.shiftId,
    cashierId: shift.cashierId,
    currency: shift.currency,
    openedAt: opened.occurredAt,
    asOf: last.occurredAt,
    upToSeq: last.seq,
    sales,
    taxByRate: [...byRate.values()].sort((a, b) => a.taxRateBp - b.taxRateBp),
    tenders: [...tenders.values()],
    cashDrops: { count: drops.length, totalMinor: cashDropsMinor, items: drops },
    paidOuts: { count: paidOuts.length, totalMinor: paidOutsMinor, items: paidOuts },
    noSales: { count: noSales.length, items: noSales },
    returns,
    voids: {
      count: voidedSales.count + voidedLines.count,
      totalMinor: voidedSales.totalMinor + voidedLines.totalMinor,
      sales: voidedSales,
      lines: voidedLines,
    },
    discounts,
    giftCards,
    storeCredit,
    cardReversals,
    cash: {
      openingFloatMinor: shift.openingFloatMinor,
      cashSalesMinor,
      cashDropsMinor,
      paidOutsMinor,
      cashRefundsMinor,
      giftCardCashMinor: giftCards.cashMinor,
      roundingMinor,
      expectedMinor,
      ...(countedMinor === undefined ? {} : { countedMinor, differenceMinor: countedMinor - expectedMinor }),
      ...(counted ? { counted } : {}),
    },
  };
}

/** Mid-shift figures: read-only, changes nothing. */
export const xReport = (events: readonly EventEnvelope[]): ShiftReport => shiftReport(events, { kind: 'X' });

/** The closing report, numbered; the caller writes shift.closed with the same figures. */
export const zReport = (
  events: readonly EventEnvelope[],
  zNumber: number,
  count: { counted?: CashCount; countedCashMinor?: number } = {},
): ShiftReport => shiftReport(events, { kind: 'Z', zNumber, ...count });
