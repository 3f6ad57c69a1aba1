import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';

/**
 * SKUs tills sold that HQ's catalog does not know (a product deleted at HQ, one a till was sent before
 * it was created, a scanner that invented one). Such a sale is kept and counted like any other; this
 * lists them per store so head office can add the product or correct the till. A query over the daily
 * sales facts, so it needs no table of its own and empties itself once the product exists.
 */
export interface UnknownSku {
  storeId: string;
  sku: string;
  /** First and last business day it was sold or returned. */
  firstSeen: string;
  lastSeen: string;
  /** Sale lines naming it, and the units net of returns. */
  lines: number;
  qty: number;
}

export async function unknownSkus(db: HqDb, filter: { storeId?: string } = {}): Promise<UnknownSku[]> {
  const rows = await sql<{
    store_id: string;
    sku: string;
    first_seen: string;
    last_seen: string;
    lines: number;
    qty: number;
  }>`
    SELECT d.store_id, d.sku, min(d.business_date)::text AS first_seen, max(d.business_date)::text AS last_seen,
           sum(d.lines - d.base_lines) AS lines, sum(d.qty - d.base_qty) AS qty
      FROM sales_daily d
     WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = d.sku)
       AND (d.lines <> d.base_lines OR d.qty <> d.base_qty)
       ${filter.storeId === undefined ? sql`` : sql`AND d.store_id = ${filter.storeId}`}
     GROUP BY d.store_id, d.sku
     ORDER BY d.store_id, d.sku`.execute(db);
  return rows.rows.map((r) => ({
    storeId: r.store_id,
    sku: r.sku,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    lines: Number(r.lines),
    qty: Number(r.qty),
  }));
}
