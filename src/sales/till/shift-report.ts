import type { ShiftReport } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { checkedAdd, checkedMul } from '../../core/index.ts';
import { type CardReversed, PAYMENT_EVENT_TYPES } from '../../payments/index.ts';
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
} from '../events.ts';
import { cashierBreakdown } from './shift-report-cashiers.ts';

/**
 * X and Z reports, computed from a shift's ledger events only. Pure: nothing here reads or writes
 * the ledger, so an X report can be printed as often as the manager likes and a Z report is exactly
 * what the events say. Amounts are integer minor units; the report's shape is the register API's
 * (src/contracts/register-shift.ts, exported by src/contracts/register.ts).
 */
export type { ShiftReport };

/** The total of a count by denomination; throws RangeError past the safe integer range. */
export const countedTotal = (count: CashCount): number =>
  count.denominations.reduce((s, d) => checkedAdd(s, checkedMul(d.valueMinor, d.count)), 0);

const openingOf = (events: readonly EventEnvelope[]): EventEnvelope<ShiftOpened> => {
  const opened = events.find((e) => e.type === SALES_EVENT_TYPES.shiftOpened);
  if (!opened) throw new Error('shift report: the events hold no shift.opened');
  return opened as EventEnvelope<ShiftOpened>;
};

type Movement = ShiftReport['cashDrops']['items'][number];
type Excluded = ShiftReport['excluded'][number];

/** The running sums of a shift; cloned per event so an event that cannot be added leaves no trace. */
interface Sums {
  sales: { count: number; netMinor: number; taxMinor: number; grossMinor: number };
  byRate: Map<number, { taxRateBp: number; netMinor: number; taxMinor: number; grossMinor: number }>;
  tenders: Map<string, { kind: string; count: number; amountMinor: number }>;
  drops: Movement[];
  paidOuts: Movement[];
  noSales: ShiftReport['noSales']['items'];
  returns: {
    count: number;
    totalMinor: number;
    cashMinor: number;
    cardMinor: number;
    storeCreditMinor: number;
  };
  discounts: { count: number; totalMinor: number };
  giftCards: { count: number; totalMinor: number; cashMinor: number };
  storeCredit: { issuedMinor: number; redeemedMinor: number };
  cardReversals: { count: number; totalMinor: number };
  roundingMinor: number;
  voidedSales: { count: number; totalMinor: number };
  voidedLines: { count: number; totalMinor: number };
}

const emptySums = (): Sums => ({
  sales: { count: 0, netMinor: 0, taxMinor: 0, grossMinor: 0 },
  byRate: new Map(),
  tenders: new Map([
    ['cash', { kind: 'cash', count: 0, amountMinor: 0 }],
    ['card', { kind: 'card', count: 0, amountMinor: 0 }],
  ]),
  drops: [],
  paidOuts: [],
  noSales: [],
  returns: { count: 0, totalMinor: 0, cashMinor: 0, cardMinor: 0, storeCreditMinor: 0 },
  discounts: { count: 0, totalMinor: 0 },
  giftCards: { count: 0, totalMinor: 0, cashMinor: 0 },
  storeCredit: { issuedMinor: 0, redeemedMinor: 0 },
  cardReversals: { count: 0, totalMinor: 0 },
  roundingMinor: 0,
  voidedSales: { count: 0, totalMinor: 0 },
  voidedLines: { count: 0, totalMinor: 0 },
});

const add = checkedAdd;
/** An amount that must be a whole number of minor units a report can hold. */
const exact = (n: number | undefined): number => add(0, n ?? 0);

/** Adds one event of the shift into `t`; throws RangeError when a figure would leave the exact range. */
function addEvent(t: Sums, e: EventEnvelope): void {
  if (e.type === SALES_EVENT_TYPES.saleCompleted) {
    const s = e.payload as SaleCompleted;
    t.sales.count++;
    t.sales.netMinor = add(t.sales.netMinor, s.netMinor);
    t.sales.taxMinor = add(t.sales.taxMinor, s.taxMinor);
    t.sales.grossMinor = add(t.sales.grossMinor, s.grossMinor);
    t.roundingMinor = add(t.roundingMinor, exact(s.roundingMinor));
    // A basket discount is spread over lines; count it once per sale.
    const given = new Set<string>();
    for (const l of s.lines) {
      for (const d of l.discounts ?? []) {
        // Promotions are the chain's pricing, not a cashier's decision.
        if (d.source === 'promotion') continue;
        given.add(d.id);
        t.discounts.totalMinor = add(t.discounts.totalMinor, d.amountMinor);
      }
      const r = t.byRate.get(l.taxRateBp) ?? {
        taxRateBp: l.taxRateBp,
        netMinor: 0,
        taxMinor: 0,
        grossMinor: 0,
      };
      r.netMinor = add(r.netMinor, l.netMinor);
      r.taxMinor = add(r.taxMinor, l.taxMinor);
      r.grossMinor = add(r.grossMinor, l.grossMinor);
      t.byRate.set(l.taxRateBp, r);
    }
    t.discounts.count += given.size;
    for (const tender of s.tenders) {
      const r = t.tenders.get(tender.kind) ?? { kind: tender.kind, count: 0, amountMinor: 0 };
      r.count++;
      r.amountMinor = add(r.amountMinor, tender.amountMinor);
      t.tenders.set(tender.kind, r);
      if (tender.kind === 'store_credit')
        t.storeCredit.redeemedMinor = add(t.storeCredit.redeemedMinor, tender.amountMinor);
    }
  } else if (e.type === SALES_EVENT_TYPES.cashDrop || e.type === SALES_EVENT_TYPES.paidOut) {
    const p = e.payload as DrawerCashDrop | DrawerPaidOut;
    const item = {
      seq: e.seq,
      occurredAt: e.occurredAt,
      amountMinor: exact(p.amountMinor),
      reason: p.reason,
    };
    (e.type === SALES_EVENT_TYPES.cashDrop ? t.drops : t.paidOuts).push(item);
  } else if (e.type === SALES_EVENT_TYPES.noSale) {
    const p = e.payload as DrawerNoSale;
    t.noSales.push({ seq: e.seq, occurredAt: e.occurredAt, reason: p.reason });
  } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
    const r = e.payload as SaleReturned;
    t.returns.count++;
    t.returns.totalMinor = add(t.returns.totalMinor, r.totals.grossMinor);
    for (const f of r.refunds) {
      if (f.kind === 'cash') t.returns.cashMinor = add(t.returns.cashMinor, f.amountMinor);
      else if (f.kind === 'card') t.returns.cardMinor = add(t.returns.cardMinor, f.amountMinor);
      else if (f.kind === 'store_credit') {
        t.returns.storeCreditMinor = add(t.returns.storeCreditMinor, f.amountMinor);
        t.storeCredit.issuedMinor = add(t.storeCredit.issuedMinor, f.amountMinor);
      }
    }
  } else if (e.type === SALES_EVENT_TYPES.giftCardIssued || e.type === SALES_EVENT_TYPES.giftCardLoaded) {
    const g = e.payload as GiftCardSold;
    t.giftCards.count++;
    t.giftCards.totalMinor = add(t.giftCards.totalMinor, g.amountMinor);
    for (const tender of g.tenders)
      if (tender.kind === 'cash') t.giftCards.cashMinor = add(t.giftCards.cashMinor, tender.amountMinor);
  } else if (e.type === SALES_EVENT_TYPES.saleVoided) {
    t.voidedSales.count++;
    t.voidedSales.totalMinor = add(t.voidedSales.totalMinor, (e.payload as SaleVoided).grossMinor);
  } else if (e.type === SALES_EVENT_TYPES.cartLineVoided) {
    t.voidedLines.count++;
    t.voidedLines.totalMinor = add(t.voidedLines.totalMinor, (e.payload as CartLineVoided).grossMinor);
  } else if (e.type === PAYMENT_EVENT_TYPES.cardReversed) {
    t.cardReversals.count++;
    t.cardReversals.totalMinor = add(t.cardReversals.totalMinor, (e.payload as CardReversed).amountMinor);
  }
}

/**
 * The largest drawer figure a report holds (2^51 minor units, about 22 trillion euros): past it the
 * count against it could no longer be subtracted exactly. No shift comes near; a ledger written before
 * amounts were capped can.
 */
export const FIGURE_LIMIT = 2 ** 51;
const withinFigures = (n: number): number => {
  if (Math.abs(n) > FIGURE_LIMIT) throw new RangeError(`drawer figure ${n} is beyond ${FIGURE_LIMIT}`);
  return n;
};

const sumOf = (xs: readonly { amountMinor: number }[]): number =>
  xs.reduce((s, x) => add(s, x.amountMinor), 0);

/** What the drawer should hold; throws RangeError when the figures cannot be added exactly. */
function drawerFigures(t: Sums, openingFloatMinor: number) {
  const cashSalesMinor = t.tenders.get('cash')?.amountMinor ?? 0;
  const cashDropsMinor = sumOf(t.drops);
  const paidOutsMinor = sumOf(t.paidOuts);
  const cashRefundsMinor = t.returns.cashMinor;
  const cashIn = add(add(openingFloatMinor, cashSalesMinor), t.giftCards.cashMinor);
  const cashOut = add(add(cashDropsMinor, paidOutsMinor), cashRefundsMinor);
  return {
    cashSalesMinor,
    cashDropsMinor,
    paidOutsMinor,
    cashRefundsMinor,
    expectedMinor: withinFigures(add(cashIn, -cashOut)),
    voidsMinor: add(t.voidedSales.totalMinor, t.voidedLines.totalMinor),
  };
}

/**
 * The report of the shift opened by the first shift.opened in `events`. Events of other shifts and
 * of types the report does not know are ignored, so the caller may pass a plain ledger range.
 *
 * Every figure is added with checked arithmetic. An event whose amounts cannot be added exactly (a
 * 90-trillion gift card written by an older build, say) is left out of every figure and listed in
 * `excluded`, so the X report still prints and the shift can still close; the manager sees which
 * event to look into.
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
  const excluded: Excluded[] = [];
  const leaveOut = (e: EventEnvelope, err: RangeError): void => {
    excluded.push({ seq: e.seq, type: e.type, reason: err.message });
  };

  let openingFloatMinor = shift.openingFloatMinor;
  if (!Number.isSafeInteger(openingFloatMinor) || Math.abs(openingFloatMinor) > FIGURE_LIMIT) {
    leaveOut(opened, new RangeError(`opening float ${openingFloatMinor} is beyond ${FIGURE_LIMIT}`));
    openingFloatMinor = 0;
  }
  let sums = emptySums();
  for (const e of mine) {
    const next = structuredClone(sums);
    try {
      addEvent(next, e);
      drawerFigures(next, openingFloatMinor); // the totals built from the sums must add up too
      sums = next;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      leaveOut(e, err);
    }
  }
  const t = sums;
  const cash = drawerFigures(t, openingFloatMinor);

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
    sales: t.sales,
    taxByRate: [...t.byRate.values()].sort((a, b) => a.taxRateBp - b.taxRateBp),
    tenders: [...t.tenders.values()],
    cashDrops: { count: t.drops.length, totalMinor: cash.cashDropsMinor, items: t.drops },
    paidOuts: { count: t.paidOuts.length, totalMinor: cash.paidOutsMinor, items: t.paidOuts },
    noSales: { count: t.noSales.length, items: t.noSales },
    returns: t.returns,
    voids: {
      count: t.voidedSales.count + t.voidedLines.count,
      totalMinor: cash.voidsMinor,
      sales: t.voidedSales,
      lines: t.voidedLines,
    },
    discounts: t.discounts,
    giftCards: t.giftCards,
    storeCredit: t.storeCredit,
    cardReversals: t.cardReversals,
    byCashier: cashierBreakdown(
      mine.filter((e) => !excluded.some((x) => x.seq === e.seq)),
      shift.cashierId,
    ),
    cash: {
      openingFloatMinor,
      cashSalesMinor: cash.cashSalesMinor,
      cashDropsMinor: cash.cashDropsMinor,
      paidOutsMinor: cash.paidOutsMinor,
      cashRefundsMinor: cash.cashRefundsMinor,
      giftCardCashMinor: t.giftCards.cashMinor,
      roundingMinor: t.roundingMinor,
      expectedMinor: cash.expectedMinor,
      ...(countedMinor === undefined
        ? {}
        : { countedMinor, differenceMinor: checkedAdd(countedMinor, -cash.expectedMinor) }),
      ...(counted ? { counted } : {}),
    },
    excluded,
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
