import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';

/**
 * The survivor an id stands for now (itself unless merged), following chains through customer_merges.
 * Apart from merges.ts so the loyalty ledger can resolve ids without importing the merge commands
 * (which import the ledger).
 */
export async function canonicalCustomer(db: HqDb, customerId: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE up(id, depth) AS (
      SELECT ${customerId}::uuid, 0
      UNION ALL SELECT m.survivor_id, up.depth + 1 FROM customer_merges m JOIN up ON m.merged_id = up.id
        WHERE up.depth < 1000)
    SELECT id FROM up ORDER BY depth DESC LIMIT 1`.execute(db);
  return rows[0]?.id ?? customerId;
}

/** Every profile folded into the survivor, the survivor first, then the rest sorted. */
export async function membersOf(db: HqDb, survivorId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT ${survivorId}::uuid
      UNION SELECT m.merged_id FROM customer_merges m JOIN down ON m.survivor_id = down.id)
    SELECT id FROM down`.execute(db);
  const rest = rows.map((r) => r.id).filter((id) => id !== survivorId);
  return [survivorId, ...rest.sort()];
}
