import type { HqDb } from '../../db/index.ts';
import type { IdentifierKind } from '../pii-crypto.ts';
import { customerKey } from './customer-keys.ts';
import { countryOfStore } from './personal-index.ts';
import { customerProfile, findCustomerIds } from './profile-read.ts';
import { customerSegmentOf } from './till-customers.ts';

/**
 * What a till gets when it looks up a customer registered at another store: the id, the fields, the
 * consents and the data key, so it can cache the customer and serve them offline next time. Only a
 * customer whose fields HQ can read (key held) is answered.
 */
export interface TillCustomer {
  customerId: string;
  phone?: string;
  email?: string;
  name?: string;
  cardNumber?: string;
  consents: { marketing_email: boolean; marketing_sms: boolean; analytics: boolean };
  registeredAt: string | null;
  key: string;
  /** The newest scoring run's segment ("at risk"), or null: what the till's promotions target. */
  segment: string | null;
}

export async function customerForTill(
  db: HqDb,
  kind: IdentifierKind,
  value: string,
  /** The asking till's store: a national phone number is read in its country. */
  opts: { storeId?: string } = {},
): Promise<TillCustomer | undefined> {
  const country = opts.storeId ? await countryOfStore(db, opts.storeId) : undefined;
  for (const id of await findCustomerIds(db, kind, value, { country })) {
    const [p, key, segment] = await Promise.all([
      customerProfile(db, id, { withPersonal: true }),
      customerKey(db, id),
      customerSegmentOf(db, id),
    ]);
    if (!p?.personal || !key) continue;
    const f = p.personal;
    return {
      customerId: id,
      ...(f.phone ? { phone: f.phone } : {}),
      ...(f.email ? { email: f.email } : {}),
      ...(f.name ? { name: f.name } : {}),
      ...(f.cardNumber ? { cardNumber: f.cardNumber } : {}),
      consents: p.consents,
      registeredAt: p.registeredAt,
      key,
      segment,
    };
  }
  return undefined;
}
