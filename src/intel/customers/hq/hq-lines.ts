/**
 * Transaction lines from HQ's own sales by customer: each completed sale that named a customer
 * (customer_sales) becomes an invoice (its sale id) of lines at the price actually paid, and each return
 * against such a sale a cancellation (invoice `C` + return id, negative quantities), as the scorer's
 * file contract has them. Built at run time and never stored: only the scores are kept.
 *
 * The time is the store's business date (noon UTC of it): the scorer counts whole days, and the
 * store-local day is the one "today" is measured in, whatever the zone of the store.
 */
import { sql } from 'kysely';
import { minorDigits } from '../../../core/index.ts';
import type { HqDb } from '../../../db/index.ts';
import type { TransactionLine } from '../history.ts';

export interface SaleRow {
  kind: 'sale' | 'return';
  /** The sale's id, or the return's. */
  id: string;
  customerId: string;
  storeId: string;
  businessDate: string;
  currency: string;
  lines: readonly { sku: string; qty: number; grossMinor: number }[];
}

const NOON_MS = 12 * 3_600_000;

/** Pure: the scorer's lines from sales and returns; money from minor to major units of the currency. */
export function linesFromSales(rows: Iterable<SaleRow>): TransactionLine[] {
  const out: TransactionLine[] = [];
  for (const r of rows) {
    const timeMs = Date.parse(`${r.businessDate}T00:00:00Z`) + NOON_MS;
    const scale = 10 ** minorDigits(r.currency);
    const sign = r.kind === 'return' ? -1 : 1;
    for (const l of r.lines) {
      if (!(l.qty > 0)) continue;
      out.push({
        invoice: r.kind === 'return' ? `C${r.id}` : r.id,
        timeMs,
        customer: r.customerId,
        product: l.sku,
        quantity: sign * l.qty,
        // The price paid (after discounts and promotions), per unit, in major units.
        unitPrice: l.grossMinor / l.qty / scale,
        store: r.storeId,
      });
    }
  }
  return out;
}

interface EventRow {
  kind: 'sale' | 'return';
  id: string;
  customer_id: string;
  store_id: string;
  business_date: string | Date;
  currency: string | null;
  lines: unknown;
}

const isoDate = (d: string | Date): string => (typeof d === 'string' ? d : d.toISOString().slice(0, 10));

function parseLines(v: unknown): SaleRow['lines'] {
  const arr = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  if (!Array.isArray(arr)) return [];
  return arr.flatMap((l: Record<string, unknown>) =>
    typeof l?.sku === 'string' && typeof l.qty === 'number' && typeof l.grossMinor === 'number'
      ? [{ sku: l.sku, qty: l.qty, grossMinor: l.grossMinor }]
      : [],
  );
}

/**
 * The sales and returns of known customers with a business date before `asOf` (store-local days).
 * Customers come from customer_sales, so an erased customer (whose rows erasure removed) is not scored.
 */
export async function loadCustomerSales(db: HqDb, asOf: string): Promise<SaleRow[]> {
  const { rows } = await sql<EventRow>`
    SELECT 'sale' AS kind, cs.sale_id AS id, cs.customer_id::text AS customer_id, e.store_id,
           e.business_date, e.payload->>'currency' AS currency, e.payload->'lines' AS lines
      FROM customer_sales cs JOIN events e ON e.type = 'sale.completed' AND e.payload->>'saleId' = cs.sale_id
     WHERE e.business_date < ${asOf}::date
    UNION ALL
    SELECT 'return', e.payload->>'returnId', cs.customer_id::text, e.store_id,
           e.business_date, e.payload->>'currency', e.payload->'lines'
      FROM events e JOIN customer_sales cs ON cs.sale_id = e.payload->>'originalSaleId'
     WHERE e.type = 'sale.returned' AND e.business_date < ${asOf}::date
  `.execute(db);
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    customerId: r.customer_id,
    storeId: r.store_id,
    businessDate: isoDate(r.business_date),
    currency: r.currency ?? 'EUR',
    lines: parseLines(r.lines),
  }));
}
