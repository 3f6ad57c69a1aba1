import { sql } from 'kysely';
import type { CustomerDataPlace } from '../../../customers/hq/index.ts';

/**
 * Customer scores name the customer by id: erasure deletes their rows in every stored run. The model's
 * inputs (invoice lines) are built from customer_sales at run time and never stored, so once erasure has
 * removed customer_sales the next run cannot score them again.
 */
export const customerScoresPlace: CustomerDataPlace = {
  place: 'customer scores (customer_scores)',
  async erase(trx, customerId) {
    const r = await sql`DELETE FROM customer_scores WHERE customer_id = ${customerId}`.execute(trx);
    const n = Number(r.numAffectedRows ?? 0);
    return {
      place: this.place,
      found: n,
      removed: n,
      note: 'model inputs are built from purchase history at run time and not stored',
    };
  },
};
