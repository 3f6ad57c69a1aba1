import type { AuditEntryInput, AuditTarget } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { AUTH_EVENT_TYPES as A } from '../auth-events.ts';
import {
  type DrawerCashDrop,
  type DrawerNoSale,
  type SaleCompleted,
  type SaleReturned,
  type SaleVoided,
  type ShiftClosed,
  SALES_EVENT_TYPES as T,
} from '../events.ts';

/**
 * Which till events are privileged and what HQ's audit log says about each: one rule per event type,
 * pure, so the table is read and tested in one place. `after` picks the fields an auditor needs
 * (amounts, reason, approver) and never card data: a refund keeps its kind and amount, not the masked
 * PAN, token or processor reference. An event whose rule gives no action (a sale nobody approved
 * anything on) is not audited.
 */
type Payload = Record<string, unknown>;

interface TillAuditRule {
  action: (p: Payload, e: EventEnvelope) => string | undefined;
  outcome?: 'refused';
  target?: (p: Payload) => AuditTarget | undefined;
  after: (p: Payload, e: EventEnvelope) => Record<string, unknown>;
}

const shiftTarget = (p: Payload): AuditTarget | undefined =>
  typeof p.shiftId === 'string' ? { type: 'shift', id: p.shiftId } : undefined;

const cashMovement = (action: string): TillAuditRule => ({
  action: () => action,
  target: shiftTarget,
  after: (p) => {
    const d = p as DrawerCashDrop;
    return { amountMinor: d.amountMinor, reason: d.reason };
  },
});

/** The approvals a sale carries: manual discounts and price overrides a manager's PIN allowed. */
function saleApprovals(s: SaleCompleted) {
  const overrides = s.lines.flatMap((l) =>
    l.priceOverride
      ? [
          {
            lineNo: l.lineNo,
            sku: l.sku,
            fromMinor: l.priceOverride.fromMinor,
            toMinor: l.unitPriceMinor,
            reason: l.priceOverride.reason,
            approvedBy: l.priceOverride.approvedBy,
          },
        ]
      : [],
  );
  const discounts = s.lines.flatMap((l) =>
    (l.discounts ?? [])
      .filter((d) => d.approvedBy !== undefined)
      .map((d) => ({
        lineNo: l.lineNo,
        amountMinor: d.amountMinor,
        percentBp: d.percentBp,
        basket: d.basket,
        reason: d.reason,
        approvedBy: d.approvedBy,
      })),
  );
  return { overrides, discounts };
}

export const TILL_AUDIT_RULES: Readonly<Record<string, TillAuditRule>> = {
  [T.saleReturned]: {
    action: (p) => ((p as SaleReturned).postVoid ? 'till.post_void' : 'till.refund'),
    target: (p) => {
      const r = p as SaleReturned;
      return r.originalSaleId ? { type: 'sale', id: r.originalSaleId } : { type: 'return', id: r.returnId };
    },
    after: (p) => {
      const r = p as SaleReturned;
      return {
        returnId: r.returnId,
        receiptNo: r.originalReceiptNo,
        currency: r.currency,
        grossMinor: r.totals.grossMinor,
        refunds: r.refunds.map((x) => ({ kind: x.kind, amountMinor: x.amountMinor })),
        reason: r.reason,
        withoutReceipt: r.withoutReceipt,
      };
    },
  },
  [T.saleVoided]: {
    action: () => 'till.void',
    target: (p) => ({ type: 'cart', id: (p as SaleVoided).cartId }),
    after: (p) => {
      const v = p as SaleVoided;
      return { grossMinor: v.grossMinor, currency: v.currency, lines: v.lines.length, reason: v.reason };
    },
  },
  [T.noSale]: {
    action: () => 'till.no_sale',
    target: shiftTarget,
    after: (p) => ({ reason: (p as DrawerNoSale).reason }),
  },
  [T.cashDrop]: cashMovement('till.cash_drop'),
  [T.paidOut]: cashMovement('till.paid_out'),
  [T.shiftClosed]: {
    action: () => 'till.shift_close',
    target: shiftTarget,
    after: (p) => {
      const s = p as ShiftClosed;
      return {
        currency: s.currency,
        salesCount: s.salesCount,
        grossMinor: s.grossMinor,
        expectedCashMinor: s.expectedCashMinor,
        countedCashMinor: s.countedCashMinor,
        differenceMinor: s.differenceMinor,
      };
    },
  },
  [T.saleCompleted]: {
    // Only a sale where someone approved something: every sale is not an audit entry.
    action: (p, e) => {
      const { overrides, discounts } = saleApprovals(p as SaleCompleted);
      const approved = overrides.some((o) => o.approvedBy) || discounts.length > 0;
      return e.approver !== undefined || approved ? 'till.approval' : undefined;
    },
    target: (p) => ({ type: 'sale', id: (p as SaleCompleted).saleId }),
    after: (p) => {
      const s = p as SaleCompleted;
      return { receiptNo: s.receiptNo, currency: s.currency, grossMinor: s.grossMinor, ...saleApprovals(s) };
    },
  },
  [A.signInFailed]: {
    action: () => 'auth.sign_in_failed',
    outcome: 'refused',
    after: (p) => ({ code: p.code, reason: p.reason }),
  },
  [A.approvalRefused]: {
    action: () => 'auth.approval_refused',
    outcome: 'refused',
    after: (p) => ({ code: p.code, field: p.field, what: p.what, reason: p.reason }),
  },
  [A.signedIn]: {
    action: () => 'auth.sign_in',
    target: (p) => ({ type: 'user', id: String(p.userId) }),
    after: (p) => ({ userId: p.userId, code: p.code }),
  },
  [A.cashierSwitched]: {
    action: () => 'auth.cashier_switched',
    target: (p) => ({ type: 'user', id: String(p.toUserId) }),
    after: (p) => ({ fromUserId: p.fromUserId, toUserId: p.toUserId }),
  },
};

/**
 * The audit entry a till event makes, or undefined when it is not privileged. The actor is the user
 * signed in at the till, or the terminal when nobody was (a failed sign-in); `at` is when it happened
 * on the till, and the request id is the event's id, so an entry leads back to its event.
 */
export function tillAuditEntry(e: EventEnvelope): AuditEntryInput | undefined {
  const rule = TILL_AUDIT_RULES[e.type];
  if (!rule) return undefined;
  const action = rule.action(e.payload, e);
  if (!action) return undefined;
  // Older tills name the approver only in the payload.
  const approver =
    e.approver ?? (typeof e.payload.approvedBy === 'string' ? e.payload.approvedBy : undefined);
  const after = { ...rule.after(e.payload, e), ...(approver ? { approver } : {}) };
  const reason = typeof e.payload.reason === 'string' ? e.payload.reason : undefined;
  return {
    actor: e.actor ? { kind: 'user', id: e.actor } : { kind: 'device', id: e.terminalId },
    action,
    target: rule.target?.(e.payload),
    storeId: e.storeId,
    terminalId: e.terminalId,
    requestId: e.id,
    outcome: rule.outcome ?? 'ok',
    after,
    reason,
    at: new Date(e.occurredAt),
  };
}
