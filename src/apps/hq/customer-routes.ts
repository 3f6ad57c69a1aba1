import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, principalOf, storesFor, terminalOf } from '../../access/index.ts';
import { API_BASE, errorBody } from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import {
  campaignCsv,
  campaignList,
  changeConsentAtHq,
  createCustomerAtHq,
  customerForTill,
  customerProfile,
  customerProfileSchema,
  eraseCustomer,
  findCustomerIds,
  findCustomerIdsByName,
  listCustomerProfiles,
  storeCustomerKey,
  subjectAccessExport,
} from '../../customers/hq/index.ts';
import { CONSENT_PURPOSES, dataKeySchema } from '../../customers/index.ts';
import { hqCustomerDataPlaces } from '../shared/customer-data-places.ts';
import { appendToHqLog } from '../shared/event-registry.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageHeaders, pageQuery } from './list-page.ts';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const idParams = z.object({ customerId: z.uuid() });
const purpose = z.enum(CONSENT_PURPOSES);
const LIST_PAGE = 100;
const NAME_MATCHES = 50;

/**
 * Customers across the chain. Tills hand each customer's data key to HQ here (never in an event);
 * people read and change profiles with view_customer_data over the chain, and every answer that holds
 * decrypted personal fields writes an audit entry; erasure takes erase_customer_data and answers with
 * the report of every place checked.
 */
export const customerRoutes: HqRoutes = (app, { db, clock }) => {
  const tags = ['customers'];
  const personal = { access: { permission: 'view_customer_data', scope: 'chain' } } as const;
  const readAudited = (req: FastifyRequest, customerId: string, action: string) =>
    audit(req).record({ action, target: { type: 'customer', id: customerId } });

  app.put(
    `${API_BASE}/customers/:customerId/key`,
    {
      schema: {
        tags,
        summary:
          'A till hands HQ the data key of a customer it registered (the side channel: keys never travel in events). The same key again is fine; another key is 409 on key; an erased customer is 409 on customerId (the till then drops its copy)',
        security: bearer,
        params: idParams,
        body: z.object({ key: dataKeySchema }),
        response: {
          200: z.object({ status: z.enum(['stored', 'already held']), opened: z.boolean() }),
          ...errors,
        },
      },
      config: { access: 'terminal' },
    },
    async (req) => storeCustomerKey(db, req.params.customerId, req.body.key, terminalOf(req).terminalId),
  );

  app.get(
    `${API_BASE}/customers/lookup`,
    {
      schema: {
        tags,
        summary:
          "A till finds a customer registered at any store by exact phone, email or loyalty card: id, fields, consents and the data key to cache (404 when none, or HQ cannot read them yet); audited as the till's read",
        security: bearer,
        querystring: z.object({
          phone: z.string().max(40).optional(),
          email: z.string().max(254).optional(),
          card: z.string().max(40).optional(),
        }),
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
      config: { access: 'terminal' },
    },
    async (req) => {
      const q = req.query;
      const [kind, value] = q.phone
        ? (['phone', q.phone] as const)
        : q.email
          ? (['email', q.email] as const)
          : (['card', q.card ?? ''] as const);
      const c = await customerForTill(db, kind, value, { storeId: terminalOf(req).storeId });
      if (!c) throw notFound('customer', kind === 'card' ? 'card' : kind);
      await readAudited(req, c.customerId, 'customer.looked_up_by_till');
      return { ...c };
    },
  );

  app.get(
    `${API_BASE}/customers`,
    {
      schema: {
        tags,
        summary:
          'Customer profiles, a page at a time (oldest registration first); personal fields only for a caller holding view_customer_data over the chain (audited)',
        security: bearer,
        querystring: z.object(pageQuery(1000)),
        response: { 200: z.array(customerProfileSchema) },
      },
      config: { access: { permission: 'view_reports', scope: 'chain' } },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const withPersonal = storesFor(p, 'view_customer_data') === 'all';
      const limit = req.query.limit ?? LIST_PAGE;
      const offset = req.query.offset ?? 0;
      const page = await listCustomerProfiles(db, { limit, offset, withPersonal });
      if (withPersonal && page.customers.length > 0)
        await audit(req).record({
          action: 'customer.personal_data_listed',
          target: { type: 'customer', id: `${offset}+${page.customers.length}` },
          after: { customerIds: page.customers.map((c) => c.customerId) },
        });
      pageHeaders(req, reply, {
        truncated: offset + limit < page.total,
        total: page.total,
        nextOffset: offset + limit,
        limit,
      });
      return page.customers;
    },
  );

  app.get(
    `${API_BASE}/customers/search`,
    {
      schema: {
        tags,
        summary:
          'Customers with exactly this phone, email or loyalty card number, found through the blind index, or (name, when none of those is given) whose name holds the text, at most 50 by name; one of them; audited',
        security: bearer,
        querystring: z.object({
          phone: z.string().max(40).optional(),
          email: z.string().max(254).optional(),
          card: z.string().max(40).optional(),
          name: z.string().trim().min(2).max(200).optional(),
        }),
        response: { 200: z.array(customerProfileSchema), ...errors },
      },
      config: personal,
    },
    async (req) => {
      const q = req.query;
      const [kind, value] = q.phone
        ? (['phone', q.phone] as const)
        : q.email
          ? (['email', q.email] as const)
          : q.card || !q.name
            ? (['card', q.card ?? ''] as const)
            : (['name', q.name] as const);
      const ids =
        kind === 'name'
          ? await findCustomerIdsByName(db, value, NAME_MATCHES)
          : await findCustomerIds(db, kind, value);
      const out = [];
      for (const id of ids) {
        const c = await customerProfile(db, id, { withPersonal: true });
        if (c) out.push(c);
      }
      await audit(req).record({
        action: 'customer.searched',
        target: { type: 'customer_search', id: kind },
        after: { customerIds: ids },
      });
      return out;
    },
  );

  app.get(
    `${API_BASE}/customers/campaign-list`,
    {
      schema: {
        tags,
        summary:
          'Who may be contacted for a purpose now (granted, not erased), as JSON or CSV (format=csv); audited',
        security: bearer,
        querystring: z.object({ purpose, format: z.enum(['json', 'csv']).optional() }),
        produces: ['application/json', 'text/csv'],
        response: {
          200: z.union([
            z.array(
              z.object({
                customerId: z.string(),
                name: z.string().nullable(),
                email: z.string().nullable(),
                phone: z.string().nullable(),
              }),
            ),
            z.string(),
          ]),
          ...errors,
        },
      },
      config: personal,
    },
    async (req, reply) => {
      const rows = await campaignList(db, req.query.purpose);
      await audit(req).record({
        action: 'customer.campaign_list_exported',
        target: { type: 'campaign_list', id: req.query.purpose },
        after: { count: rows.length },
      });
      if (req.query.format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="campaign-${req.query.purpose}.csv"`)
          .send(campaignCsv(rows));
      return rows;
    },
  );

  app.post(
    `${API_BASE}/customers`,
    {
      schema: {
        tags,
        summary:
          'Register a customer at HQ (its data key is made here); 409 when the phone, email or card is taken',
        security: bearer,
        body: z.object({
          storeId: z.string().min(1).max(64),
          phone: z.string().max(40).optional(),
          email: z.string().max(254).optional(),
          name: z.string().max(200).optional(),
          cardNumber: z.string().max(40).optional(),
          consents: z
            .object({ marketing_email: z.boolean(), marketing_sms: z.boolean(), analytics: z.boolean() })
            .partial()
            .optional(),
        }),
        response: { 201: z.object({ customerId: z.string() }), ...errors },
      },
      config: personal,
    },
    async (req, reply) => {
      const customerId = await createCustomerAtHq(db, appendToHqLog, req.body, clock.now());
      await audit(req).record({
        action: 'customer.created',
        target: { type: 'customer', id: customerId },
        storeId: req.body.storeId,
      });
      return reply.status(201).send({ customerId });
    },
  );

  app.get(
    `${API_BASE}/customers/:customerId`,
    {
      schema: {
        tags,
        summary: 'One profile with its personal fields, current consents and consent history; audited',
        security: bearer,
        params: idParams,
        response: { 200: customerProfileSchema, ...errors },
      },
      config: personal,
    },
    async (req) => {
      const c = await customerProfile(db, req.params.customerId, { withPersonal: true });
      if (!c) throw notFound(`customer ${req.params.customerId}`, 'customerId');
      await readAudited(req, c.customerId, 'customer.personal_data_read');
      return c;
    },
  );

  app.post(
    `${API_BASE}/customers/:customerId/consents`,
    {
      schema: {
        tags,
        summary:
          'Grant or withdraw one purpose through HQ (a customer.consent_changed event, channel hq); audited',
        security: bearer,
        params: idParams,
        body: z.object({ purpose, granted: z.boolean() }),
        response: { 200: customerProfileSchema, ...errors },
      },
      config: personal,
    },
    async (req) => {
      const id = req.params.customerId;
      await db.transaction().execute(async (trx) => {
        const e = await changeConsentAtHq(
          trx,
          appendToHqLog,
          { customerId: id, ...req.body, actor: principalOf(req).actor },
          clock.now(),
        );
        await audit(req).record(
          {
            action: 'customer.consent_changed',
            target: { type: 'customer', id },
            after: req.body,
            storeId: e.storeId,
          },
          trx,
        );
      });
      return (await customerProfile(db, id, { withPersonal: false }))!;
    },
  );

  app.post(
    `${API_BASE}/customers/:customerId/erase`,
    {
      schema: {
        tags,
        summary:
          'Erase a customer (the person: every profile merged with this one too): destroy the data keys (the sealed fields in the log become unreadable), remove the profiles, index, consent history, points and every registered place, tell tills to forget them; answers the report of every id and place checked',
        security: bearer,
        params: idParams,
        response: {
          200: z.object({
            customerId: z.string(),
            customerIds: z.array(z.string()),
            alreadyErased: z.boolean(),
            erasedAt: z.string(),
            places: z.array(
              z.object({
                customerId: z.string().optional(),
                place: z.string(),
                found: z.number().int(),
                removed: z.number().int(),
                note: z.string().optional(),
              }),
            ),
          }),
          ...errors,
        },
      },
      config: { access: { permission: 'erase_customer_data', scope: 'chain' } },
    },
    async (req) => {
      const report = await eraseCustomer(db, appendToHqLog, req.params.customerId, {
        places: hqCustomerDataPlaces,
        at: clock.now(),
      });
      await audit(req).record({
        action: 'customer.erased',
        target: { type: 'customer', id: req.params.customerId },
        after: report,
      });
      return report;
    },
  );

  app.get(
    `${API_BASE}/customers/:customerId/export`,
    {
      schema: {
        tags,
        summary:
          'Subject-access export: everything HQ holds on the customer (profile, personal fields, consent history, sales and returns, events naming them) as JSON; audited',
        security: bearer,
        params: idParams,
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
      config: personal,
    },
    async (req) => {
      const out = await subjectAccessExport(db, req.params.customerId, clock.now());
      await readAudited(req, req.params.customerId, 'customer.subject_access_exported');
      return out;
    },
  );
};
