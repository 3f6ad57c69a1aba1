import { conflict, invalid, newId } from '../../core/index.ts';
import {
  type CashCount,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  SALES_EVENT_TYPES,
  type ShiftClosed,
  shiftClosedSchema,
  shiftOpenedSchema,
} from '../events.ts';
import type { ManagerApproval } from './approvals.ts';
import { checkAmount, checkReason, type RegisterContext, type ShiftView } from './register-context.ts';
import { countedTotal, FIGURE_LIMIT, type ShiftReport, xReport, zReport } from './shift-report.ts';

/** Shifts and the drawer: open with a float, drops, pay-outs, no-sale, X report, blind close (Z). */

/** A drawer movement as recorded: the event's payload with where it sits in the ledger. */
export interface DrawerResult {
  type: string;
  shiftId: string;
  cashierId: string;
  amountMinor?: number;
  reason: string;
  approvedBy?: string;
  seq: number;
  occurredAt: string;
}

/** What a drawer request may carry; checked here so errors name `amountMinor` or `reason`. */
export interface DrawerInput {
  amountMinor?: number | undefined;
  reason?: string | undefined;
  managerPin?: ManagerApproval | undefined;
}

export interface CloseShiftInput {
  /** The counted total, for callers that count without denominations. */
  countedCashMinor?: number | undefined;
  /** A blind count by denomination; the total is computed from it. */
  counted?: { denominations: { valueMinor: number; count: number }[] } | undefined;
}

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
  const count = {
    denominations: counted.denominations.map((d) => ({ valueMinor: d.valueMinor, count: d.count })),
  };
  let total = Number.POSITIVE_INFINITY;
  try {
    total = countedTotal(count);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  if (total > FIGURE_LIMIT)
    throw invalid('counted.denominations', 'add up to more than any drawer holds; count again');
  return count;
};

export function drawerActions(ctx: RegisterContext) {
  const { ledger, logger } = ctx;
  /** A report that had to leave events out says so in the log too, where support looks first. */
  const warnExcluded = (report: ShiftReport): ShiftReport => {
    if (report.excluded.length > 0)
      logger.warn(
        { shiftId: report.shiftId, kind: report.kind, excluded: report.excluded },
        'shift report left out events whose amounts cannot be added exactly; look into them',
      );
    return report;
  };

  /** A cash drop or a pay-out: never more than the drawer should hold, checked in the write transaction. */
  const cashOut = (kind: 'cashDrop' | 'paidOut', input: DrawerInput): DrawerResult => {
    const amountMinor = checkAmount(input.amountMinor);
    const reason = checkReason(input.reason);
    const what = kind === 'cashDrop' ? 'a cash drop' : 'a pay-out';
    return ledger.transaction(() => {
      const open = ctx.requireOpen(what);
      const expected = xReport(ctx.shiftEvents(open)).cash.expectedMinor;
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

  return {
    openShift({ cashierId, openingFloatMinor }: { cashierId: string; openingFloatMinor: number }): ShiftView {
      const store = ctx.requireStore();
      if (!Number.isSafeInteger(openingFloatMinor) || openingFloatMinor < 0) {
        throw invalid(
          'openingFloatMinor',
          `must be a whole number of minor units, 0 or more, got ${openingFloatMinor}`,
        );
      }
      if (cashierId.trim() === '') throw invalid('cashierId', 'must not be empty');
      return ledger.transaction(() => {
        const open = ctx.currentShift();
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

    closeShift(input: CloseShiftInput): ShiftClosed & { seq: number; report: ShiftReport } {
      const { countedCashMinor } = input;
      if (
        countedCashMinor !== undefined &&
        (!Number.isSafeInteger(countedCashMinor) || countedCashMinor < 0 || countedCashMinor > FIGURE_LIMIT)
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
        const open = ctx.currentShift();
        if (!open) throw conflict('no shift is open; a Z report needs an open shift', 'shift');
        const events = ctx.shiftEvents(open);
        // Drawn in this transaction: a close that fails gives its number back, so Z numbers stay gap-free.
        const zNumber = ctx.nextCounter(`z:${ledger.terminalId}`);
        const report = warnExcluded(
          zReport(events, zNumber, {
            ...(counted ? { counted } : {}),
            ...(countedCashMinor === undefined ? {} : { countedCashMinor }),
          }),
        );
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
          discountsMinor: report.discounts.totalMinor,
          giftCardsSoldMinor: report.giftCards.totalMinor,
          roundingMinor: report.cash.roundingMinor,
        });
        const e = ledger.append(SALES_EVENT_TYPES.shiftClosed, payload);
        logger.info(
          { shiftId: open.shiftId, seq: e.seq, zNumber, expectedCashMinor: payload.expectedCashMinor },
          'shift closed',
        );
        return { ...payload, seq: e.seq, report: { ...report, asOf: e.occurredAt, upToSeq: e.seq } };
      });
    },

    cashDrop: (input: DrawerInput) => cashOut('cashDrop', input),
    paidOut: (input: DrawerInput) => cashOut('paidOut', input),

    noSale(input: DrawerInput): DrawerResult {
      if (input.amountMinor !== undefined && input.amountMinor !== 0)
        throw invalid('amountMinor', 'a no-sale moves no money; leave it out');
      const reason = checkReason(input.reason);
      ctx.requireOpen('opening the drawer');
      const approvedBy = ctx.approvals.check(
        ctx.config.approvals.noSale,
        input.managerPin,
        'noSale',
        'opening the drawer without a sale',
        ctx.config.approvals.noSale ? 'no_sale' : undefined,
      );
      return ledger.transaction(() => {
        const open = ctx.requireOpen('opening the drawer');
        const payload = drawerNoSaleSchema.parse({
          shiftId: open.shiftId,
          cashierId: open.cashierId,
          reason,
          ...(approvedBy ? { approvedBy } : {}),
        });
        const e = ledger.append(SALES_EVENT_TYPES.noSale, payload);
        logger.info(
          { shiftId: open.shiftId, cashierId: open.cashierId, reason, approvedBy, seq: e.seq },
          'drawer opened, no sale',
        );
        return { type: SALES_EVENT_TYPES.noSale, ...payload, seq: e.seq, occurredAt: e.occurredAt };
      });
    },

    xReport(): ShiftReport {
      const open = ctx.currentShift();
      if (!open) throw conflict('no shift is open', 'shift');
      return warnExcluded(xReport(ctx.shiftEvents(open)));
    },
  };
}
