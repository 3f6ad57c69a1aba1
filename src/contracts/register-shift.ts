/**
 * A shift as the till's register API shows it: the open shift, its X report so far, and the Z report
 * that closes it. Amounts are integer minor units. src/sales/shift-report.ts computes the reports from
 * the shift's ledger events; this is their shape, which the screen reads too. Browser-safe: zod only.
 */
import { z } from 'zod';
import { shiftClosedSchema, shiftOpenedSchema } from './register-sale.ts';

const int = z.number().int();
const movementSchema = z.object({
  seq: int,
  occurredAt: z.string(),
  amountMinor: int,
  reason: z.string(),
});
const totalSchema = z.object({ count: int, totalMinor: int });

/** One cashier's part of a shift, by the user each event names as its actor (the shift's cashier for events without one). */
export const cashierFiguresSchema = z.object({
  userId: z.string(),
  sales: z.object({ count: int, netMinor: int }),
  refunds: totalSchema,
  voids: totalSchema,
  noSales: int,
  discounts: totalSchema,
});
export type CashierFigures = z.infer<typeof cashierFiguresSchema>;

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
  /** The shift by cashier: who sold, refunded, voided, opened the drawer and gave discounts. */
  byCashier: z.array(cashierFiguresSchema).default([]),
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
  /**
   * Events of the shift left out of every figure because their amounts cannot be added exactly (only
   * a ledger written before the till capped amounts holds such events); look into each one.
   */
  excluded: z.array(z.object({ seq: int, type: z.string(), reason: z.string() })).default([]),
});
export type ShiftReport = z.infer<typeof shiftReportSchema>;

/** The open shift. */
export const shiftSchema = shiftOpenedSchema.extend({ openedAt: z.string(), seq: z.number().int() });
export type Shift = z.infer<typeof shiftSchema>;

/** The answer to closing a shift: the shift.closed event, its ledger seq and the numbered Z report. */
export const shiftClosedResultSchema = shiftClosedSchema.extend({
  seq: z.number().int(),
  report: shiftReportSchema,
});
export type ShiftClosedResult = z.infer<typeof shiftClosedResultSchema>;
