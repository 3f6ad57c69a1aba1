import { sql } from 'kysely';
import type { z } from 'zod';
import { publicSaleSchema } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import { SALES_EVENT_TYPES } from '../events.ts';

/**
 * The receipts HQ holds: each sale a till sent, read from the event log as the register showed it
 * (public tenders only, no card handles). The daily facts add sales up per SKU; this answers "did the
 * sale I just rang up arrive, and what was on it".
 */
export type HqReceipt = z.infer<typeof publicSaleSchema> & {
  storeId: string;
  terminalId: string;
  businessDate: string;
  occurredAt: string;
};

export interface StoreDay {
  storeId: string;
  businessDate: string;
}

/** Receipts of the given store-days, newest first, with how many there are in all. */
export async function listReceipts(
  db: HqDb,
  f: { days: readonly StoreDay[]; limit: number; offset?: number },
): Promise<{ receipts: HqReceipt[]; total: number }> {
  if (f.days.length === 0) return { receipts: [], total: 0 };
  // Each pair hits events_store_date.
  const days = sql.join(
    f.days.map((d) => sql`(store_id = ${d.storeId} AND business_date = ${d.businessDate})`),
    sql` OR `,
  );
  const where = sql`type = ${SALES_EVENT_TYPES.saleCompleted} AND (${days})`;
  const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE ${where}`.execute(db);
  const { rows } = await sql<{
    store_id: string;
    terminal_id: string;
    business_date: string;
    occurred_at: Date | string;
    payload: Record<string, unknown>;
  }>`SELECT store_id, terminal_id, business_date, occurred_at, payload FROM events WHERE ${where}
     ORDER BY occurred_at DESC, pos DESC LIMIT ${f.limit} OFFSET ${f.offset ?? 0}`.execute(db);
  const receipts = rows.flatMap((r) => {
    // Only what the register may show leaves HQ; a payload that is not a sale (it cannot be) is skipped.
    const sale = publicSaleSchema.safeParse(r.payload);
    if (!sale.success) return [];
    return [
      {
        ...sale.data,
        storeId: r.store_id,
        terminalId: r.terminal_id,
        businessDate: r.business_date,
        occurredAt: new Date(r.occurred_at).toISOString(),
      },
    ];
  });
  return { receipts, total: Number(counted.rows[0]?.n ?? 0) };
}
