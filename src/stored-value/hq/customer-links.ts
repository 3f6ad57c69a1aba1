import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';

/**
 * Accounts linked to a customer (store credit issued to them): the link goes when the customer is
 * erased; the account and its balance stay with whoever holds the code.
 */
export async function unlinkCustomerAccounts(trx: HqDb, customerId: string): Promise<number> {
  const r =
    await sql`UPDATE stored_value_accounts SET customer_id = NULL WHERE customer_id = ${customerId}`.execute(
      trx,
    );
  return Number(r.numAffectedRows ?? 0);
}
