import { z } from 'zod';
import { audit, forbidden, fromParams, principalOf, storesFor } from '../../access/index.ts';
import { listStoreSetups, openStore, storeChoices, storeSetup, updateStore } from '../../catalog/hq/index.ts';
import {
  API_BASE,
  errorBody,
  newStoreSchema,
  storeChoicesSchema,
  storePatchSchema,
  storeSetupSchema,
} from '../../contracts/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * Stores as the back office sets them up: open one (chain-wide manage_stores: a store is a chain
 * decision), change its name, address, locale, zone and tax region. The catalog module does the work in
 * one transaction, the audit entry included; these routes admit and carry.
 */
export const storesRoutes: HqRoutes = (app, { db }) => {
  const s = `${API_BASE}/stores`;

  app.get(
    `${s}/setup`,
    {
      schema: {
        summary: 'Stores you manage, with their price zone and tax region',
        security: bearer,
        response: { 200: z.array(storeSetupSchema), ...errors },
      },
      config: { access: { permission: 'manage_stores' } },
    },
    async (req) => listStoreSetups(db, storesFor(principalOf(req), 'manage_stores')),
  );

  app.get(
    `${s}/choices`,
    {
      schema: {
        summary: 'Price zones, tax jurisdictions and districts a store may be put in',
        security: bearer,
        response: { 200: storeChoicesSchema, ...errors },
      },
      config: { access: { permission: 'manage_stores' } },
    },
    async () => storeChoices(db),
  );

  app.post(
    s,
    {
      schema: {
        summary:
          'Open a store: id, name, address, time zone, currency, tax-inclusive shelf prices, the tax jurisdiction that governs it; optionally locale, price zone, district',
        security: bearer,
        body: newStoreSchema,
        response: { 201: storeSetupSchema, ...errors },
      },
      config: { access: { permission: 'manage_stores', scope: 'chain' } },
    },
    async (req, reply) => {
      const opened = await openStore(db, req.body, (trx, after) =>
        audit(req).record(
          {
            action: 'store.opened',
            target: { type: 'store', id: after.storeId },
            storeId: after.storeId,
            after,
          },
          trx,
        ),
      );
      req.log.info({ storeId: opened.storeId, by: principalOf(req).actor }, 'store opened');
      return reply.status(201).send(opened);
    },
  );

  app.patch(
    `${s}/:id`,
    {
      schema: {
        summary:
          "Change a store's name, address or locale (manage_stores there); its price zone or tax region needs manage_stores over the chain",
        security: bearer,
        params: z.object({ id: z.string().min(1).max(64) }),
        body: storePatchSchema,
        response: { 200: storeSetupSchema, ...errors },
      },
      config: { access: { permission: 'manage_stores', scope: fromParams('id') } },
    },
    async (req) => {
      const chainField = (['taxJurisdictionId', 'zoneId'] as const).find((f) => req.body[f] !== undefined);
      if (chainField && storesFor(principalOf(req), 'manage_stores') !== 'all')
        throw forbidden(
          `${chainField}: changing a store's ${chainField === 'zoneId' ? 'price zone' : 'tax region'} needs manage_stores over the whole chain`,
          chainField,
        );
      const before = await storeSetup(db, req.params.id);
      return updateStore(db, req.params.id, req.body, (trx, after) =>
        audit(req).record(
          {
            action: 'store.changed',
            target: { type: 'store', id: after.storeId },
            storeId: after.storeId,
            before,
            after,
          },
          trx,
        ),
      );
    },
  );
};
