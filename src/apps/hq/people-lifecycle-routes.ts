import { z } from 'zod';
import {
  audit,
  inviteUser,
  issueResetLink,
  principalOf,
  reactivateUser,
  removeUser,
  usePasswordLink,
  usernameSchema,
} from '../../access/index.ts';
import { API_BASE, errorBody, grant, meResponse, passwordLinkSchema } from '../../contracts/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const usernameParam = z.object({ username: z.string().min(1).max(64) });
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * A person's life at HQ beyond their grants: invited with a one-time set-password link (HQ sends no
 * mail; the manager passes the link on), reset the same way, reactivated, removed. The link's token is
 * answered once and never audited or logged. Setting a password with a link is public: the token is its
 * credential (PUBLIC_ROUTES).
 */
export const peopleLifecycleRoutes: HqRoutes = (app, { db }) => {
  const manage = { access: { permission: 'manage_users' } } as const;
  const u = `${API_BASE}/users`;

  app.post(
    `${u}/invite`,
    {
      schema: {
        summary: 'Add a user with their grants and no password: answers a one-time link (72 h) to set it',
        security: bearer,
        body: z.object({
          username: usernameSchema,
          displayName: z.string().trim().min(1).max(200),
          grants: z.array(grant).min(1).max(100),
        }),
        response: { 201: meResponse.extend({ link: passwordLinkSchema }), ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { user, link } = await inviteUser(db, p.permissions, req.body, p.actor);
      await audit(req).record({
        action: 'access.user_invited',
        target: { type: 'user', id: user.username },
        after: { displayName: user.displayName, grants: req.body.grants, linkExpiresAt: link.expiresAt },
      });
      req.log.info({ username: user.username, by: p.actor }, 'user invited');
      return reply.status(201).send({ user, link });
    },
  );

  app.post(
    `${u}/:username/password-link`,
    {
      schema: {
        summary:
          "Reset a user's password: the old one stops working, their sessions end, and a one-time link (24 h) lets them choose a new one",
        security: bearer,
        params: usernameParam,
        response: { 201: passwordLinkSchema, ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      const p = principalOf(req);
      const link = await issueResetLink(db, p.permissions, req.params.username, p.actor);
      await audit(req).record({
        action: 'access.password_link_issued',
        target: { type: 'user', id: link.username },
        after: { expiresAt: link.expiresAt },
      });
      return reply.status(201).send(link);
    },
  );

  app.post(
    `${u}/:username/reactivate`,
    {
      schema: {
        summary: 'Reactivate a deactivated user: they sign in again with their password and grants',
        security: bearer,
        params: usernameParam,
        response: { 204: z.null(), ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      await reactivateUser(db, principalOf(req).permissions, req.params.username);
      await audit(req).record({
        action: 'access.user_reactivated',
        target: { type: 'user', id: req.params.username },
        after: { active: true },
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    `${u}/:username`,
    {
      schema: {
        summary:
          'Remove a user: deleted if nothing names them; else deactivated, every grant revoked and hidden from lists, so history keeps its names',
        security: bearer,
        params: usernameParam,
        response: { 200: z.object({ removed: z.enum(['deleted', 'kept for history']) }), ...errors },
      },
      config: manage,
    },
    async (req) => {
      const removed = await removeUser(db, principalOf(req).permissions, req.params.username);
      await audit(req).record({
        action: 'access.user_removed',
        target: { type: 'user', id: req.params.username },
        after: { removed },
      });
      return { removed };
    },
  );

  app.post(
    `${API_BASE}/auth/password-link`,
    {
      schema: {
        summary: 'Set your password with a one-time invite or reset link (the token is the credential)',
        body: z.object({ token: z.string().min(1).max(200), password: z.string().max(1000) }),
        response: { 200: z.object({ username: z.string() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const done = await usePasswordLink(db, req.body.token, req.body.password);
      await audit(req).record({
        action: 'access.password_set_by_link',
        actor: { kind: 'user', id: done.username },
        target: { type: 'user', id: done.username },
      });
      return done;
    },
  );
};
