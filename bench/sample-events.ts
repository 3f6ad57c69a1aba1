import { businessDate } from '../src/core/clock.ts';
import type { EventEnvelope } from '../src/core/event.ts';
import { newId } from '../src/core/ids.ts';
import { seededRandom } from '../src/core/random.ts';
import { cartTotals } from '../src/pricing/tax.ts';
import type { SaleCompleted } from '../src/sales/events.ts';

/**
 * Realistic sale events (1–6 lines, cash or card) for wire and ingest benchmarks, drawn from a
 * seeded generator so runs compare like with like.
 */
export function sampleSaleEvents(opts: {
  n: number;
  storeId: string;
  terminalId: string;
  skus: readonly string[];
  firstSeq?: number;
  seed?: number;
}): EventEnvelope<SaleCompleted>[] {
  const rand = seededRandom(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const events: EventEnvelope<SaleCompleted>[] = [];
  const start = Date.parse('2026-11-20T08:00:00Z');
  for (let i = 0; i < opts.n; i++) {
    const lineCount = 1 + Math.floor(rand() * 6);
    const raw = Array.from({ length: lineCount }, (_, k) => ({
      lineNo: k + 1,
      sku: pick(opts.skus),
      name: `Product ${k}`,
      qty: 1 + Math.floor(rand() * 3),
      unitPriceMinor: 99 + Math.floor(rand() * 2000),
      taxRateBp: rand() < 0.3 ? 700 : 1900,
    }));
    const totals = cartTotals(raw, { inclusive: true });
    const lines = raw.map((l, k) => ({ ...l, ...totals.lines[k]! }));
    const card = rand() < 0.6;
    const seq = (opts.firstSeq ?? 1) + i;
    const at = new Date(start + i * 45_000);
    events.push({
      id: newId(),
      type: 'sale.completed',
      schemaVersion: 1,
      storeId: opts.storeId,
      terminalId: opts.terminalId,
      seq,
      businessDate: businessDate(at, 'Europe/Berlin'),
      occurredAt: at.toISOString(),
      payload: {
        saleId: newId(),
        receiptNo: `${opts.terminalId}-${String(seq).padStart(6, '0')}`,
        shiftId: '019a0000-0000-7000-8000-000000000001',
        cashierId: 'cashier-1',
        currency: 'EUR',
        taxInclusive: true,
        lines,
        netMinor: totals.netMinor,
        taxMinor: totals.taxMinor,
        grossMinor: totals.grossMinor,
        tenders: card
          ? [
              {
                kind: 'card',
                amountMinor: totals.grossMinor,
                provider: 'simulated',
                approvalCode: String(100_000 + Math.floor(rand() * 900_000)),
                token: `tok_${newId().replaceAll('-', '')}`,
                maskedPan: '************4242',
                brand: 'visa',
              },
            ]
          : [
              {
                kind: 'cash',
                amountMinor: totals.grossMinor,
                tenderedMinor: Math.ceil(totals.grossMinor / 500) * 500,
                changeMinor: Math.ceil(totals.grossMinor / 500) * 500 - totals.grossMinor,
              },
            ],
      },
    });
  }
  return events;
}
