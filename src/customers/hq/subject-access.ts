import { sql } from 'kysely';
import { notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type CustomerProfile, customerProfile } from './profile-read.ts';

/**
 * A subject-access export: everything HQ holds on one customer, as one JSON document — the profile with
 * its decrypted personal fields and consent history, the sales and returns that name them (by id, with
 * amounts and stores), and every event in the log that references the customer (type, time, store).
 */
// A type, not an interface: the route's response schema is a record of anything.
export type SubjectAccessExport = {
  exportedAt: string;
  customerId: string;
  profile: CustomerProfile;
  sales: {
    saleId: string;
    receiptNo: string | null;
    storeId: string;
    at: string;
    grossMinor: number;
    currency: string | null;
  }[];
  returns: { returnId: string; originalSaleId: string; storeId: string; at: string; grossMinor: number }[];
  events: {
    eventId: string;
    type: string;
    schemaVersion: number;
    storeId: string;
    terminalId: string;
    occurredAt: string;
  }[];
};

const iso = (d: Date | string): string => new Date(d).toISOString();

export async function subjectAccessExport(
  db: HqDb,
  customerId: string,
  at = new Date(),
): Promise<SubjectAccessExport> {
  const profile = await customerProfile(db, customerId, { withPersonal: true });
  if (!profile) throw notFound(`customer ${customerId}`, 'customerId');
  const { rows: sales } = await sql<{
    id: string;
    store_id: string;
    occurred_at: Date | string;
    payload: Record<string, unknown>;
  }>`SELECT id, store_id, occurred_at, payload FROM events
     WHERE type = 'sale.completed' AND payload->>'customerId' = ${customerId} ORDER BY occurred_at`.execute(
    db,
  );
  const saleIds = sales.map((s) => String(s.payload.saleId));
  const { rows: returns } = await sql<{
    store_id: string;
    occurred_at: Date | string;
    payload: Record<string, unknown>;
  }>`
    SELECT store_id, occurred_at, payload FROM events
    WHERE type = 'sale.returned' AND payload->>'originalSaleId' = ANY(${saleIds}::text[]) ORDER BY occurred_at`.execute(
    db,
  );
  const { rows: events } = await sql<{
    id: string;
    type: string;
    schema_version: number;
    store_id: string;
    terminal_id: string;
    occurred_at: Date | string;
  }>`SELECT id, type, schema_version, store_id, terminal_id, occurred_at FROM events
     WHERE payload->>'customerId' = ${customerId}
        OR (type = 'sale.returned' AND payload->>'originalSaleId' = ANY(${saleIds}::text[]))
     ORDER BY occurred_at, id`.execute(db);
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    exportedAt: at.toISOString(),
    customerId,
    profile,
    sales: sales.map((s) => ({
      saleId: String(s.payload.saleId),
      receiptNo: typeof s.payload.receiptNo === 'string' ? s.payload.receiptNo : null,
      storeId: s.store_id,
      at: iso(s.occurred_at),
      grossMinor: num(s.payload.grossMinor),
      currency: typeof s.payload.currency === 'string' ? s.payload.currency : null,
    })),
    returns: returns.map((r) => ({
      returnId: String(r.payload.returnId),
      originalSaleId: String(r.payload.originalSaleId),
      storeId: r.store_id,
      at: iso(r.occurred_at),
      grossMinor: num((r.payload.totals as Record<string, unknown> | undefined)?.grossMinor),
    })),
    events: events.map((e) => ({
      eventId: e.id,
      type: e.type,
      schemaVersion: e.schema_version,
      storeId: e.store_id,
      terminalId: e.terminal_id,
      occurredAt: iso(e.occurred_at),
    })),
  };
}
