import { sql } from 'kysely';
import { conflict, TallyError } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { dataKeySchema } from '../pii-crypto.ts';
import { openWhenKeyed } from './personal-index.ts';

/**
 * Data keys arriving at HQ over the side route (never in an event). The same key again changes nothing;
 * another key for a customer HQ already holds one for is refused (a till cannot re-key someone else's
 * data); a key for an erased customer is refused for good, and the till drops its copy.
 */
export type KeyStored = 'stored' | 'already held';

export const customerErasedError = (customerId: string): TallyError =>
  new TallyError('conflict', `customer ${customerId} was erased; drop its key and row`, 'customerId');

export async function isErased(db: HqDb, customerId: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM customer_erasures WHERE customer_id = ${customerId}`.execute(db);
  return rows.length > 0;
}

export async function storeCustomerKey(
  db: HqDb,
  customerId: string,
  key: string,
  source: string,
): Promise<{ status: KeyStored; opened: boolean }> {
  const k = dataKeySchema.parse(key);
  const run = async (trx: HqDb) => {
    if (await isErased(trx, customerId)) throw customerErasedError(customerId);
    const { rows } = await sql<{ data_key: string; inserted: boolean }>`
      INSERT INTO customer_keys (customer_id, data_key, source) VALUES (${customerId}, ${k}, ${source})
      ON CONFLICT (customer_id) DO UPDATE SET customer_id = customer_keys.customer_id
      RETURNING data_key, (xmax = 0) AS inserted`.execute(trx);
    const held = rows[0]!;
    if (held.data_key !== k) throw conflict(`HQ holds another key for customer ${customerId}`, 'key');
    const opened = await openWhenKeyed(trx, customerId);
    return { status: held.inserted ? ('stored' as const) : ('already held' as const), opened };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export async function customerKey(db: HqDb, customerId: string): Promise<string | undefined> {
  const { rows } = await sql<{ data_key: string }>`
    SELECT data_key FROM customer_keys WHERE customer_id = ${customerId}`.execute(db);
  return rows[0]?.data_key;
}
