import { describe, expect, it } from 'vitest';
import { sampleEvents } from '../../../test/fixtures/event-samples.ts';
import { returnEvent, saleEvent } from '../../../test/fixtures/ingest.ts';
import { ACTION_PATTERN } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { TILL_AUDIT_RULES, tillAuditEntry } from './till-audit-actions.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const till = { terminalId: 'S001-C001', storeId: 'S001' };
const sale = saleEvent(till, 1, [{ sku: 'SKU1', qty: 2, unitPriceMinor: 500, taxRateBp: 1900 }]);

describe('which till events HQ audits, and as what', () => {
  it('audits each privileged type as its action, and nothing else a till sends', () => {
    const actions = Object.fromEntries(
      sampleEvents(NOW).map((e) => [e.type, tillAuditEntry({ ...e, approver: 'sam' })?.action ?? null]),
    );
    expect(actions).toMatchObject({
      'sale.returned': 'till.refund',
      'sale.voided': 'till.void',
      'drawer.no_sale': 'till.no_sale',
      'drawer.cash_drop': 'till.cash_drop',
      'drawer.paid_out': 'till.paid_out',
      'shift.closed': 'till.shift_close',
      'sale.completed': 'till.approval',
      'auth.sign_in_failed': 'auth.sign_in_failed',
      'auth.approval_refused': 'auth.approval_refused',
      'auth.signed_in': 'auth.sign_in',
      'auth.cashier_switched': 'auth.cashier_switched',
      'shift.opened': null,
      'giftcard.issued': null,
      'receipt.reprinted': null,
      'auth.signed_out': null,
    });
    const audited = Object.entries(actions).filter(([, a]) => a !== null);
    expect(audited.map(([t]) => t).sort()).toEqual(Object.keys(TILL_AUDIT_RULES).sort());
    for (const [, a] of audited) expect(a).toMatch(ACTION_PATTERN);
  });

  it('records a refund by its cashier with the approver, the amounts and the reason, never card data', () => {
    const ret: EventEnvelope = { ...returnEvent(sale, 2, 1, 1), actor: 'ana', approver: 'sam' };
    ret.payload = {
      ...ret.payload,
      refunds: [
        {
          kind: 'card',
          amountMinor: 500,
          maskedPan: '************4242',
          refundRef: 'rf_1',
          token: 'sim_1_abc',
        },
      ],
      reason: 'damaged',
    };
    const entry = tillAuditEntry(ret);
    expect(entry).toMatchObject({
      actor: { kind: 'user', id: 'ana' },
      action: 'till.refund',
      target: { type: 'sale', id: sale.payload.saleId },
      storeId: 'S001',
      terminalId: 'S001-C001',
      requestId: ret.id,
      outcome: 'ok',
      reason: 'damaged',
      at: new Date(ret.occurredAt),
      after: { approver: 'sam', refunds: [{ kind: 'card', amountMinor: 500 }], reason: 'damaged' },
    });
    const text = JSON.stringify(entry);
    for (const card of ['4242', 'rf_1', 'sim_1_abc', 'maskedPan', 'token']) expect(text).not.toContain(card);
  });

  it('names the terminal as the actor of a failed sign-in, refused', () => {
    const failed = sampleEvents(NOW).find((e) => e.type === 'auth.sign_in_failed')!;
    expect(tillAuditEntry(failed)).toMatchObject({
      actor: { kind: 'device', id: failed.terminalId },
      action: 'auth.sign_in_failed',
      outcome: 'refused',
      after: { code: '1001', reason: 'wrong_pin' },
    });
  });

  it('audits a sale only when someone approved a discount or a price on it', () => {
    expect(tillAuditEntry({ ...sale, actor: 'ana' })).toBeUndefined();
    const line = sale.payload.lines[0]!;
    const overridden = {
      ...sale,
      actor: 'ana',
      payload: {
        ...sale.payload,
        lines: [{ ...line, priceOverride: { fromMinor: 700, reason: 'shelf label', approvedBy: 'sam' } }],
      },
    };
    expect(tillAuditEntry(overridden)).toMatchObject({
      action: 'till.approval',
      target: { type: 'sale', id: sale.payload.saleId },
      after: {
        overrides: [{ lineNo: 1, sku: 'SKU1', fromMinor: 700, toMinor: 500, approvedBy: 'sam' }],
      },
    });
    const unapproved = {
      ...overridden,
      payload: {
        ...overridden.payload,
        lines: [{ ...line, priceOverride: { fromMinor: 700, reason: 'x' } }],
      },
    };
    expect(tillAuditEntry(unapproved)).toBeUndefined();
  });
});
