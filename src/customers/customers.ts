import { conflict, invalid, newId, notFound } from '../core/index.ts';
import type { Ledger } from '../sync/index.ts';
import { CUSTOMER_EVENT_TYPES, customerCreatedSchema } from './events.ts';

/**
 * Customers at the till: created with a phone or an email (or both), found again by either. Each
 * creation is a customer.created event written with the row, so HQ learns of every customer.
 */
export interface Customer {
  customerId: string;
  phone: string | undefined;
  email: string | undefined;
  name: string | undefined;
  marketingConsent: boolean;
  createdAt: string;
}

export interface CustomerInput {
  phone?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  marketingConsent?: boolean | undefined;
}

/** Digits only, with a leading + kept: "+41 79 123 45 67" and "+41791234567" are one customer. */
export function normalizePhone(phone: string): string {
  const t = phone.trim();
  const digits = t.replace(/\D/g, '');
  const out = `${t.startsWith('+') ? '+' : ''}${digits}`;
  if (digits.length < 6 || digits.length > 15) throw invalid('phone', `"${phone}" is not a phone number`);
  return out;
}

export function normalizeEmail(email: string): string {
  const t = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) throw invalid('email', `"${email}" is not an email address`);
  return t;
}

export interface Customers {
  create(input: CustomerInput): Customer;
  byId(customerId: string): Customer | undefined;
  /** By phone or email (whichever is given); undefined when nobody matches. */
  find(input: { phone?: string | undefined; email?: string | undefined }): Customer | undefined;
}

interface Row {
  customer_id: string;
  phone: string | null;
  email: string | null;
  name: string | null;
  marketing_consent: number;
  created_at: string;
}

const toCustomer = (r: Row): Customer => ({
  customerId: r.customer_id,
  phone: r.phone ?? undefined,
  email: r.email ?? undefined,
  name: r.name ?? undefined,
  marketingConsent: r.marketing_consent === 1,
  createdAt: r.created_at,
});

export function createCustomers(ledger: Ledger, now: () => Date = () => new Date()): Customers {
  const db = ledger.db;
  const q = {
    byId: db.prepare('SELECT * FROM customers WHERE customer_id = ?'),
    byPhone: db.prepare('SELECT * FROM customers WHERE phone = ?'),
    byEmail: db.prepare('SELECT * FROM customers WHERE email = ?'),
    insert: db.prepare(
      `INSERT INTO customers (customer_id, phone, email, name, marketing_consent, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
  };
  const one = (r: unknown): Customer | undefined => (r ? toCustomer(r as Row) : undefined);

  const find: Customers['find'] = (input) => {
    if (input.phone) return one(q.byPhone.get(normalizePhone(input.phone)));
    if (input.email) return one(q.byEmail.get(normalizeEmail(input.email)));
    throw invalid('phone', 'give a phone number or an email address');
  };

  return {
    byId: (id) => one(q.byId.get(id)),
    find,
    create(input) {
      const phone = input.phone ? normalizePhone(input.phone) : undefined;
      const email = input.email ? normalizeEmail(input.email) : undefined;
      if (!phone && !email) throw invalid('phone', 'a customer needs a phone number or an email address');
      if (input.marketingConsent !== undefined && typeof input.marketingConsent !== 'boolean')
        throw invalid('marketingConsent', 'must be true or false');
      const name = input.name?.trim() || undefined;
      return ledger.transaction(() => {
        if (phone && q.byPhone.get(phone)) throw conflict(`a customer with phone ${phone} exists`, 'phone');
        if (email && q.byEmail.get(email)) throw conflict(`a customer with email ${email} exists`, 'email');
        const payload = customerCreatedSchema.parse({
          customerId: newId(),
          ...(phone ? { phone } : {}),
          ...(email ? { email } : {}),
          ...(name ? { name } : {}),
          marketingConsent: input.marketingConsent ?? false,
          consentAt: now().toISOString(),
        });
        const e = ledger.append(CUSTOMER_EVENT_TYPES.customerCreated, payload, {
          also: () =>
            q.insert.run(
              payload.customerId,
              phone ?? null,
              email ?? null,
              name ?? null,
              payload.marketingConsent ? 1 : 0,
              payload.consentAt,
            ),
        });
        return toCustomer({
          customer_id: payload.customerId,
          phone: phone ?? null,
          email: email ?? null,
          name: name ?? null,
          marketing_consent: payload.marketingConsent ? 1 : 0,
          created_at: e.occurredAt,
        });
      });
    },
  };
}

export const requireCustomer = (customers: Customers, customerId: string): Customer => {
  const c = customers.byId(customerId);
  if (!c) throw notFound(`customer ${customerId}`, 'customerId');
  return c;
};
