import { z } from 'zod';
import { terminalOf } from '../../access/index.ts';
import { API_BASE, errorBody } from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import {
  accountByCodeHash,
  accountById,
  authorizeRedemption,
  reverseRedemption,
  storedValueExceptions,
} from '../../stored-value/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageQuery, rowsToFetch, sendPage } from './list-page.ts';

/** Exceptions a list sends when the caller names no limit. */
const EXCEPTIONS_PAGE = 100;

const int = z.number().int();
const accountSchema = z.object({
  accountId: z.string(),
  kind: z.enum(['gift_card', 'store_credit']),
  last4: z.string(),
  currency: z.string(),
  balanceMinor: int,
  overdraft: z.boolean(),
  version: int,
});
const errors = { 400: errorBody, 402: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * Gift cards and store credit across the chain. Tills look accounts up by the hash of the code and ask
 * HQ to authorise a redemption while online, presenting the code itself as proof of the card (HQ checks
 * it against the hash it keeps and stores nothing more); an authorisation belongs to the till that made
 * it. The admin reads the exceptions raised by offline redemptions that overdrew an account.
 */
export const storedValueRoutes: HqRoutes = (app, { db }) => {
  // Stored value is the chain's ledger: reading it takes reports over the chain.
  const asTerminal = { access: 'terminal' } as const;
  const asReader = { access: { permission: 'view_reports', scope: 'chain' } } as const;
  const tags = ['stored value'];

  app.post(
    `${API_BASE}/stored-value/lookup`,
    {
      schema: {
        tags,
        summary: 'A gift card or store-credit account by the SHA-256 of its code, with its balance',
        security: bearer,
        body: z.object({ codeHash: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256') }),
        response: { 200: accountSchema, ...errors },
      },
      config: asTerminal,
    },
    async (req) => {
      const a = await accountByCodeHash(db, req.body.codeHash);
      if (!a) throw notFound('card or voucher', 'code');
      return a;
    },
  );

  app.post(
    `${API_BASE}/stored-value/redemptions`,
    {
      schema: {
        tags,
        summary:
          'Authorise a redemption: HQ debits the account now or answers 402 with the balance; retrying the same authId answers the first result. Needs the card’s code (403 on code when it does not belong to the account), not only its account id',
        security: bearer,
        body: z.object({
          authId: z.uuid(),
          accountId: z.uuid(),
          code: z.string().min(8).max(40).describe('the code presented at the till (8 to 19 digits)'),
          amountMinor: z.number().int(),
          currency: z.string().length(3),
        }),
        response: { 200: z.object({ authId: z.string(), balanceMinor: int }), ...errors },
      },
      config: asTerminal,
    },
    async (req) => authorizeRedemption(db, { ...req.body, terminalId: terminalOf(req).terminalId }),
  );

  app.post(
    `${API_BASE}/stored-value/redemptions/:authId/reverse`,
    {
      schema: {
        tags,
        summary:
          'Give back an authorisation whose sale was not completed (once; repeats change nothing). Only the till that made it (403 otherwise), and only until a sale that used it is ingested (409: final)',
        security: bearer,
        params: z.object({ authId: z.uuid() }),
        response: { 200: z.object({ reversed: z.boolean(), balanceMinor: int }), ...errors },
      },
      config: asTerminal,
    },
    async (req) => reverseRedemption(db, req.params.authId, terminalOf(req).terminalId),
  );

  app.get(
    `${API_BASE}/stored-value/accounts/:accountId`,
    {
      schema: {
        tags,
        summary: 'One account and its balance at HQ',
        security: bearer,
        params: z.object({ accountId: z.uuid() }),
        response: { 200: accountSchema, ...errors },
      },
      config: asReader,
    },
    async (req) => {
      const a = await accountById(db, req.params.accountId);
      if (!a) throw notFound(`account ${req.params.accountId}`, 'accountId');
      return a;
    },
  );

  app.get(
    `${API_BASE}/stored-value/exceptions`,
    {
      schema: {
        tags,
        summary: 'Open exceptions: offline redemptions that overdrew an account, or named an unknown one',
        security: bearer,
        querystring: z.object(pageQuery(1000)),
        response: {
          200: z.array(
            z.object({
              id: int,
              accountId: z.string(),
              movementKey: z.string(),
              kind: z.enum(['overdraft', 'unknown_account']),
              shortfallMinor: int,
              terminalId: z.string().nullable(),
              at: z.string(),
            }),
          ),
        },
      },
      config: asReader,
    },
    async (req, reply) => {
      const rows = await storedValueExceptions(db, rowsToFetch(req.query, EXCEPTIONS_PAGE));
      return sendPage(req, reply, rows, req.query, EXCEPTIONS_PAGE);
    },
  );
};
