import { z } from 'zod';
import {
  audit,
  enrollWithCode,
  fromBody,
  fromQuery,
  issueEnrollmentCode,
  listTerminals,
  principalOf,
  revokeTerminal,
  rotateTerminalToken,
  storesFor,
  terminalOf,
} from '../../access/index.ts';
import {
  API_BASE,
  enrollmentCodeRequestSchema,
  enrollmentCodeSchema,
  enrollResponseSchema,
  enrollWithCodeRequestSchema,
  revokeTerminalRequestSchema,
  rotatedTokenSchema,
  terminalListEntrySchema,
} from '../../contracts/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { terminalStore } from './terminal-routes.ts';

/**
 * Tills as devices: head office issues one-time enrollment codes, lists its tills and revokes one; a
 * till exchanges a code for its token (the code is that route's only credential) and asks for a new
 * token with its current one.
 */
export const deviceRoutes: HqRoutes = (app, { db }) => {
  app.post(
    `${API_BASE}/terminals/codes`,
    {
      schema: {
        summary: 'Issue a one-time enrollment code for a store (shown once; 15 minutes unless ttlMinutes)',
        security: bearer,
        body: enrollmentCodeRequestSchema,
        response: { 201: enrollmentCodeSchema },
      },
      config: { access: { permission: 'manage_stores', scope: fromBody('storeId') } },
    },
    async (req, reply) => {
      const { storeId, terminalId, ttlMinutes } = req.body;
      const issued = await issueEnrollmentCode(db, {
        storeId,
        ...(terminalId ? { terminalId } : {}),
        ...(ttlMinutes ? { ttlMs: ttlMinutes * 60_000 } : {}),
        createdBy: principalOf(req).actor,
      });
      // The code itself is never kept: only that one was issued, for where, until when.
      await audit(req).record({
        action: 'device.enrollment_code_issued',
        target: { type: 'terminal', id: terminalId ?? storeId },
        storeId,
        after: { terminalId: terminalId ?? null, expiresAt: issued.expiresAt },
      });
      req.log.info({ storeId, terminalId, expiresAt: issued.expiresAt }, 'enrollment code issued');
      return reply.status(201).send(issued);
    },
  );

  app.post(
    `${API_BASE}/terminals/enroll`,
    {
      schema: {
        summary: "Exchange a one-time enrollment code for the till's terminal id and token (shown once)",
        body: enrollWithCodeRequestSchema,
        response: { 201: enrollResponseSchema },
      },
      // Public (PUBLIC_ROUTES): the code in the body is the credential, checked by enrollWithCode.
    },
    async (req, reply) => {
      const enrolled = await enrollWithCode(db, req.body);
      await audit(req).record({
        action: 'device.enrolled',
        actor: { kind: 'device', id: enrolled.terminalId },
        target: { type: 'terminal', id: enrolled.terminalId },
        storeId: enrolled.storeId,
        after: { terminalId: enrolled.terminalId, storeId: enrolled.storeId, by: 'enrollment code' },
      });
      req.log.info(
        { terminalId: enrolled.terminalId, storeId: enrolled.storeId },
        'terminal enrolled by code',
      );
      return reply.status(201).send(enrolled);
    },
  );

  app.get(
    `${API_BASE}/terminals`,
    {
      schema: {
        summary: 'Every enrolled till: store, last seen, last token rotation, revoked or not',
        security: bearer,
        querystring: z.object({ store: z.string().optional() }),
        response: { 200: z.array(terminalListEntrySchema) },
      },
      config: { access: { permission: 'manage_stores', scope: fromQuery('store') } },
    },
    async (req) => {
      const held = storesFor(principalOf(req), 'manage_stores');
      const tills = await listTerminals(db, req.query.store);
      return held === 'all' ? tills : tills.filter((t) => held.includes(t.storeId));
    },
  );

  app.post(
    `${API_BASE}/terminals/:id/revoke`,
    {
      schema: {
        summary: 'Revoke a till: every call it makes is refused with the reason; its events stay',
        security: bearer,
        params: z.object({ id: z.string() }),
        body: revokeTerminalRequestSchema,
        response: { 200: terminalListEntrySchema },
      },
      config: { access: { permission: 'manage_stores', scope: terminalStore } },
    },
    async (req) => {
      const revoked = await revokeTerminal(db, {
        terminalId: req.params.id,
        reason: req.body.reason,
        by: principalOf(req).actor,
      });
      await audit(req).record({
        action: 'device.revoked',
        target: { type: 'terminal', id: revoked.terminalId },
        storeId: revoked.storeId,
        after: revoked,
        reason: req.body.reason,
      });
      req.log.warn({ terminalId: revoked.terminalId, reason: req.body.reason }, 'terminal revoked');
      return revoked;
    },
  );

  app.post(
    `${API_BASE}/terminal/token`,
    {
      schema: {
        summary:
          "A new token for the calling till; the one it called with works until the new one's first use",
        security: bearer,
        response: { 200: rotatedTokenSchema },
      },
      config: { access: 'terminal' },
    },
    async (req) => {
      const rotated = await rotateTerminalToken(db, terminalOf(req).terminalId);
      // The new token is never kept: only that the till rotated.
      await audit(req).record({
        action: 'device.token_rotated',
        target: { type: 'terminal', id: rotated.terminalId },
      });
      req.log.info({ terminalId: rotated.terminalId }, 'terminal token rotated');
      return rotated;
    },
  );
};
