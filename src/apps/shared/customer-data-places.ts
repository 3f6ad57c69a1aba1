import type { CustomerDataPlace } from '../../customers/hq/index.ts';
import { customerScoresPlace } from '../../intel/customers/hq/index.ts';
import { unlinkCustomerAccounts } from '../../stored-value/hq/index.ts';

/**
 * The places outside the customers module that hold data about one customer, which erasure must visit
 * (customers' own tables are customers' business: `customerOwnPlaces`). A module that starts keeping
 * customer data (intel's customer scores, loyalty's points) adds its place here, returning what it
 * found and removed, so the erasure report lists it and the erasure test covers it.
 */
export const hqCustomerDataPlaces: readonly CustomerDataPlace[] = [
  {
    place: 'stored value: accounts linked to the customer',
    async erase(trx, customerId) {
      const n = await unlinkCustomerAccounts(trx, customerId);
      return { place: this.place, found: n, removed: n, note: 'link removed; balances stay with the card' };
    },
  },
  customerScoresPlace,
];
