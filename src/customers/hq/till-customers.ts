import { sql } from 'kysely';
import type { TillCustomerChange, TillCustomersDelta } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogTop } from '../../sync/hq/index.ts';
import { CONSENT_PURPOSES, type Consents } from '../events.ts';

/**
 * What a store's tills keep of its customers beyond the registration: the segment the newest scoring
 * run put each customer in, and their consents as changed at HQ or another till. Tills pull the
 * customers changed after their own cursor with the catalog, a bounded page at a time; the lookup of a
 * customer registered elsewhere carries the same segment.
 *
 * A store's customers are those registered there or who bought there (`stores_visited`): a till has no
 * other customer cached unless it looked one up, and that one buys here soon after.
 */

/** The most customers one pull carries; `more` tells the till to ask again. */
export const TILL_CUSTOMERS_PAGE = 1_000;
const CHUNK = 5_000;
const ENTITIES = ['customer_segment', 'customer_consent'];

export interface SegmentAssignment {
  customerId: string;
  segment: string;
}

/**
 * Records each customer's segment as of a scoring run (`asOf`): only customers whose segment is new or
 * different are written, and only those take a catalog version (the table's triggers), so tills hear
 * of the customers who moved, not of everyone every night. Returns how many rows changed.
 */
export async function publishCustomerSegments(
  db: HqDb,
  rows: readonly SegmentAssignment[],
  asOf: string,
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const c = rows.slice(i, i + CHUNK);
    const r = await sql`
      INSERT INTO customer_segments (customer_id, segment, since)
      SELECT u.id, u.segment, ${asOf}::date FROM unnest(${c.map((x) => x.customerId)}::uuid[],
        ${c.map((x) => x.segment)}::text[]) AS u(id, segment)
      -- An erased customer scored from sales kept under their random id gets no segment back.
      WHERE NOT EXISTS (SELECT 1 FROM customer_erasures e WHERE e.customer_id = u.id)
      ON CONFLICT (customer_id) DO UPDATE SET segment = excluded.segment, since = excluded.since
        WHERE customer_segments.segment <> excluded.segment`.execute(db);
    changed += Number(r.numAffectedRows ?? 0);
  }
  return changed;
}

/** One customer's current segment, or null (the till lookup's answer carries it). */
export async function customerSegmentOf(db: HqDb, customerId: string): Promise<string | null> {
  const { rows } = await sql<{ segment: string }>`
    SELECT segment FROM customer_segments WHERE customer_id = ${customerId}`.execute(db);
  return rows[0]?.segment ?? null;
}

/** The version after which to send changes; undefined when the cursor is absent or not this database's. */
export function parseCustomerCursor(
  since: string | undefined,
  epoch: string,
  top: number,
): number | undefined {
  if (!since) return undefined;
  const m = /^([0-9a-f]+)\.(\d+)$/.exec(since);
  if (!m || m[1] !== epoch) return undefined;
  const v = Number(m[2]);
  return Number.isSafeInteger(v) && v <= top ? v : undefined;
}

interface ChangedRow {
  customer_id: string;
  version: string | number;
  segment: string | null;
  consents: Consents;
  registered_at: Date | string | null;
}

/**
 * The store's customers whose segment or consents changed after `since` (a cursor of this function's,
 * or none for all of them), oldest change first, at most `limit`. The cursor stops at the last customer
 * sent when the page is full, else at the highest version committed when the read began.
 */
export async function tillCustomerChanges(
  db: HqDb,
  storeId: string,
  since: string | undefined,
  opts: { limit?: number } = {},
): Promise<TillCustomersDelta> {
  const limit = Math.max(1, opts.limit ?? TILL_CUSTOMERS_PAGE);
  const { rows: heads } = await sql<{ epoch: string }>`
    SELECT value AS epoch FROM hq_config WHERE key = 'catalog_epoch'`.execute(db);
  const epoch = heads[0]?.epoch ?? '0';
  // Read first: a change committed after this point carries a higher version and comes next time.
  const top = await catalogTop(db);
  const after = parseCustomerCursor(since, epoch, top);
  // catalog_changes is sync's log of versions; read here joined to the store's customers so a page
  // holds only this store's and the database does the paging.
  const { rows } = await sql<ChangedRow>`
    WITH ch AS (
      SELECT key, max(version) AS version FROM catalog_changes
       WHERE entity = ANY(${ENTITIES}::text[]) AND version > ${after ?? 0} AND version <= ${top}
       GROUP BY key)
    SELECT p.customer_id::text AS customer_id, ch.version, s.segment, p.consents, p.registered_at
      FROM ch JOIN customer_profiles p ON p.customer_id = ch.key::uuid
      LEFT JOIN customer_segments s ON s.customer_id = p.customer_id
     WHERE p.registered_store_id = ${storeId} OR ${storeId} = ANY(p.stores_visited)
     ORDER BY ch.version LIMIT ${limit + 1}`.execute(db);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const changedAt = await consentTimes(
    db,
    page.map((r) => r.customer_id),
  );
  const changes: TillCustomerChange[] = page.map((r) => {
    const registered = r.registered_at === null ? undefined : new Date(r.registered_at).toISOString();
    return {
      customerId: r.customer_id,
      segment: r.segment,
      consents: CONSENT_PURPOSES.map((purpose) => {
        const changed = changedAt.get(`${r.customer_id}:${purpose}`);
        // The registration's consent holds until a change after it (as the profile projection decides).
        const at = [changed, registered]
          .filter((x): x is string => x !== undefined)
          .sort()
          .at(-1);
        return { purpose, granted: r.consents[purpose] === true, at: at ?? new Date(0).toISOString() };
      }),
    };
  });
  const last = page.at(-1);
  const upTo = more && last ? Number(last.version) : top;
  return { cursor: `${epoch}.${upTo}`, full: after === undefined, more, changes };
}

/** When each purpose of each customer last changed, from the consent history ("id:purpose" → ISO). */
async function consentTimes(db: HqDb, customerIds: readonly string[]): Promise<Map<string, string>> {
  if (customerIds.length === 0) return new Map();
  const { rows } = await sql<{ customer_id: string; purpose: string; at: Date | string }>`
    SELECT DISTINCT ON (customer_id, purpose) customer_id::text AS customer_id, purpose, at
      FROM customer_consent_history WHERE customer_id = ANY(${[...customerIds]}::uuid[])
     ORDER BY customer_id, purpose, at DESC, event_id DESC`.execute(db);
  return new Map(rows.map((r) => [`${r.customer_id}:${r.purpose}`, new Date(r.at).toISOString()]));
}
