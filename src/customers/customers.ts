import { conflict, invalid, newId, notFound } from '../core/index.ts';
import { actingUser, type Ledger } from '../sync/index.ts';
import {
  type ConsentPurpose,
  type Consents,
  CUSTOMER_CREATED_VERSION,
  CUSTOMER_EVENT_TYPES,
  consentChangedSchema,
  consentPurpose,
  customerCreatedV2Schema,
  NO_CONSENTS,
} from './events.ts';
import { countryOfLocale, toE164 } from './phone.ts';
import { newDataKey, sealPii } from './pii-crypto.ts';
import { cacheRemoteCustomer, type RemoteCustomerLookup } from './remote-customers.ts';

/**
 * Customers at the till: created with a phone or an email (or both), found again by either. Each
 * creation is a customer.created event written with the row, so HQ learns of every customer; the
 * personal fields go into the event only sealed under the customer's own data key, which stays in
 * ledger.db (customer_keys) until the sync loop hands it to HQ over a side route.
 */
export interface Customer {
  customerId: string;
  phone: string | undefined;
  email: string | undefined;
  name: string | undefined;
  cardNumber?: string | undefined;
  /** Marketing by email or SMS: kept for the screens that knew one box. */
  marketingConsent: boolean;
  consents: Consents;
  createdAt: string;
  /** The RFM segment HQ's newest scoring run put them in ("at risk"), as last pulled; absent when none. */
  segment?: string | undefined;
}

export interface CustomerInput {
  phone?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  cardNumber?: string | undefined;
  /** One box for both marketing purposes; `consents` wins where it names a purpose. */
  marketingConsent?: boolean | undefined;
  consents?: Partial<Consents> | undefined;
}

/** Digits only, with a leading + kept: "+41 79 123 45 67" and "+41791234567" are one customer. */
export function normalizePhone(phone: string): string {
  const t = phone.trim();
  const digits = t.replace(/\D/g, '');
  const out = `${t.startsWith('+') ? '+' : ''}${digits}`;
  if (digits.length < 6 || digits.length > 15) throw invalid('phone', `"${phone}" is not a phone number`);
  return out;
}

/**
 * The phone a till registers and searches by: E.164 read in the store's country ("0151 23456789" at a
 * Berlin till → "+4915123456789"), so the customer is one identifier chain-wide. Without a store country,
 * a number with its + still becomes E.164 and anything else keeps the old digits-only form.
 */
export function tillPhone(phone: string, country: string | undefined): string {
  if (country === undefined && !phone.trim().startsWith('+')) return normalizePhone(phone);
  return toE164(phone, country);
}

/**
 * The forms a typed phone may be stored under: E.164 (registered since phones were read in the store's
 * country) and the digits-only form of earlier tills, so a number typed as before still finds them.
 */
export function phoneSearchForms(phone: string, country: string | undefined): string[] {
  const out: string[] = [];
  try {
    out.push(tillPhone(phone, country));
  } catch {
    // Not a valid number of the store's country: only the old form can match.
  }
  const legacy = normalizePhone(phone);
  if (!out.includes(legacy)) out.push(legacy);
  return out;
}

export function normalizeEmail(email: string): string {
  const t = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) throw invalid('email', `"${email}" is not an email address`);
  return t;
}

/** A loyalty card number: letters and digits, upper-cased, spaces and dashes dropped. */
export function normalizeCardNumber(card: string): string {
  const t = card.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{4,32}$/.test(t)) throw invalid('cardNumber', `"${card}" is not a loyalty card number`);
  return t;
}

export interface Customers {
  create(input: CustomerInput): Customer;
  byId(customerId: string): Customer | undefined;
  /** By phone, email or card (whichever is given); undefined when nobody matches. */
  find(input: {
    phone?: string | undefined;
    email?: string | undefined;
    cardNumber?: string | undefined;
  }): Customer | undefined;
  /**
   * Here first; else, when given a line to HQ, the customer registered at any store (cached here, so
   * found offline next time). Undefined when neither knows them or HQ is unreachable.
   */
  findAnywhere(input: Parameters<Customers['find']>[0]): Promise<Customer | undefined>;
  /** Grants or withdraws one purpose, as a customer.consent_changed event. */
  setConsent(customerId: string, purpose: ConsentPurpose, granted: boolean): Customer;
}

interface Row {
  customer_id: string;
  phone: string | null;
  email: string | null;
  name: string | null;
  card_number: string | null;
  marketing_consent: number;
  created_at: string;
  segment: string | null;
}

const CONSENTS_SQL = 'SELECT purpose, granted FROM customer_consents WHERE customer_id = ?';

export function createCustomers(
  ledger: Ledger,
  now: () => Date = () => new Date(),
  remote?: RemoteCustomerLookup,
  /** The store's locale (storeLocale of the cached store), whose country reads national phone numbers. */
  locale?: () => string | undefined,
): Customers {
  const db = ledger.db;
  const country = (): string | undefined => {
    const l = locale?.();
    if (!l) return undefined;
    try {
      return countryOfLocale(l);
    } catch {
      return undefined;
    }
  };
  const q = {
    byId: db.prepare('SELECT * FROM customers WHERE customer_id = ?'),
    byPhone: db.prepare('SELECT * FROM customers WHERE phone = ?'),
    byEmail: db.prepare('SELECT * FROM customers WHERE email = ?'),
    byCard: db.prepare('SELECT * FROM customers WHERE card_number = ?'),
    consents: db.prepare(CONSENTS_SQL),
    insert: db.prepare(
      `INSERT INTO customers (customer_id, phone, email, name, card_number, marketing_consent, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertKey: db.prepare('INSERT INTO customer_keys (customer_id, data_key) VALUES (?, ?)'),
    setConsent: db.prepare(
      `INSERT INTO customer_consents (customer_id, purpose, granted, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = excluded.granted, at = excluded.at`,
    ),
    setMarketing: db.prepare('UPDATE customers SET marketing_consent = ? WHERE customer_id = ?'),
  };

  const toCustomer = (r: Row): Customer => {
    // Customers made before step 0011 have only the one box: it stood for both marketing purposes.
    const legacy = r.marketing_consent === 1;
    const consents: Consents = { marketing_email: legacy, marketing_sms: legacy, analytics: false };
    for (const c of q.consents.all(r.customer_id) as { purpose: ConsentPurpose; granted: number }[])
      consents[c.purpose] = c.granted === 1;
    return {
      customerId: r.customer_id,
      phone: r.phone ?? undefined,
      email: r.email ?? undefined,
      name: r.name ?? undefined,
      ...(r.card_number ? { cardNumber: r.card_number } : {}),
      marketingConsent: consents.marketing_email || consents.marketing_sms,
      consents,
      createdAt: r.created_at,
      ...(r.segment ? { segment: r.segment } : {}),
    };
  };
  const one = (r: unknown): Customer | undefined => (r ? toCustomer(r as Row) : undefined);

  const find: Customers['find'] = (input) => {
    if (input.phone) {
      for (const form of phoneSearchForms(input.phone, country())) {
        const found = one(q.byPhone.get(form));
        if (found) return found;
      }
      return undefined;
    }
    if (input.email) return one(q.byEmail.get(normalizeEmail(input.email)));
    if (input.cardNumber) return one(q.byCard.get(normalizeCardNumber(input.cardNumber)));
    throw invalid('phone', 'give a phone number, an email address or a card number');
  };

  const consentsOf = (input: CustomerInput): Consents => {
    if (input.marketingConsent !== undefined && typeof input.marketingConsent !== 'boolean')
      throw invalid('marketingConsent', 'must be true or false');
    const m = input.marketingConsent ?? false;
    const out: Consents = { ...NO_CONSENTS, marketing_email: m, marketing_sms: m };
    for (const [k, v] of Object.entries(input.consents ?? {})) {
      const p = consentPurpose.safeParse(k);
      if (!p.success)
        throw invalid(`consents.${k}`, `not a consent purpose (${consentPurpose.options.join(', ')})`);
      if (typeof v !== 'boolean') throw invalid(`consents.${k}`, 'must be true or false');
      out[p.data] = v;
    }
    return out;
  };

  return {
    byId: (id) => one(q.byId.get(id)),
    find,
    async findAnywhere(input) {
      const here = find(input);
      if (here || !remote) return here;
      // HQ indexes what tills stored: E.164 now, the digits-only form before; ask by each.
      let there: Awaited<ReturnType<RemoteCustomerLookup>> | undefined;
      for (const phone of input.phone ? phoneSearchForms(input.phone, country()) : [undefined]) {
        there = await remote(phone === undefined ? input : { ...input, phone });
        if (there) break;
      }
      if (!there) return undefined;
      cacheRemoteCustomer(db, there, now().toISOString());
      return one(q.byId.get(there.customerId));
    },
    create(input) {
      const phone = input.phone ? tillPhone(input.phone, country()) : undefined;
      const email = input.email ? normalizeEmail(input.email) : undefined;
      const cardNumber = input.cardNumber ? normalizeCardNumber(input.cardNumber) : undefined;
      if (!phone && !email) throw invalid('phone', 'a customer needs a phone number or an email address');
      const consents = consentsOf(input);
      const name = input.name?.trim() || undefined;
      return ledger.transaction(() => {
        if (input.phone && find({ phone: input.phone }))
          throw conflict(`a customer with phone ${phone} exists`, 'phone');
        if (email && q.byEmail.get(email)) throw conflict(`a customer with email ${email} exists`, 'email');
        if (cardNumber && q.byCard.get(cardNumber))
          throw conflict(`a customer with card ${cardNumber} exists`, 'cardNumber');
        const customerId = newId();
        const key = newDataKey();
        const at = now().toISOString();
        const payload = customerCreatedV2Schema.parse({
          customerId,
          storeId: ledger.storeId,
          pii: sealPii(key, customerId, { phone, email, name, cardNumber }),
          consents,
          at,
        });
        const marketing = consents.marketing_email || consents.marketing_sms;
        ledger.append(CUSTOMER_EVENT_TYPES.customerCreated, payload, {
          schemaVersion: CUSTOMER_CREATED_VERSION,
          also: () => {
            q.insert.run(
              customerId,
              phone ?? null,
              email ?? null,
              name ?? null,
              cardNumber ?? null,
              marketing ? 1 : 0,
              at,
            );
            q.insertKey.run(customerId, key);
            for (const p of consentPurpose.options) q.setConsent.run(customerId, p, consents[p] ? 1 : 0, at);
          },
        });
        return one(q.byId.get(customerId)) as Customer;
      });
    },
    setConsent(customerId, purpose, granted) {
      const p = consentPurpose.safeParse(purpose);
      if (!p.success)
        throw invalid('purpose', `not a consent purpose (${consentPurpose.options.join(', ')})`);
      if (typeof granted !== 'boolean') throw invalid('granted', 'must be true or false');
      return ledger.transaction(() => {
        const before = one(q.byId.get(customerId));
        if (!before) throw notFound(`customer ${customerId}`, 'customerId');
        const at = now().toISOString();
        const user = actingUser();
        const payload = consentChangedSchema.parse({
          customerId,
          purpose: p.data,
          granted,
          at,
          channel: 'till',
          storeId: ledger.storeId,
          ...(user ? { actor: user.code } : {}),
        });
        ledger.append(CUSTOMER_EVENT_TYPES.consentChanged, payload, {
          also: () => {
            q.setConsent.run(customerId, p.data, granted ? 1 : 0, at);
            const c = { ...before.consents, [p.data]: granted };
            q.setMarketing.run(c.marketing_email || c.marketing_sms ? 1 : 0, customerId);
          },
        });
        return one(q.byId.get(customerId)) as Customer;
      });
    },
  };
}

export const requireCustomer = (customers: Customers, customerId: string): Customer => {
  const c = customers.byId(customerId);
  if (!c) throw notFound(`customer ${customerId}`, 'customerId');
  return c;
};
