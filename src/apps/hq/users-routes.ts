import { z } from 'zod';
import {
  addUser,
  assertMayGrant,
  audit,
  deactivateUser,
  deleteRole,
  listRoles,
  listUsers,
  passwordSchema,
  principalOf,
  resetPassword,
  roleInput,
  saveRole,
  setGrants,
  storesFor,
  usernameSchema,
} from '../../access/index.ts';
import { API_BASE, errorBody, grant, meResponse, permission } from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const userRow = z.object({
  username: z.string(),
  displayName: z.string(),
  active: z.boolean(),
  grants: z.array(grant),
});
const roleRow = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(permission),
  grants: z.number().int(),
});
const usernameParam = z.object({ username: z.string().min(1).max(64) });
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * People and roles at HQ: list, add with grants, change grants, deactivate, reset a password; list and
 * edit roles. All need manage_users; what may be granted is the access module's rule (no one grants
 * what they do not hold), so these routes only carry requests to it.
 */
export const usersRoutes: HqRoutes = (app, { db }) => {
  const manage = { access: { permission: 'manage_users' } } as const;
  const manageChain = { access: { permission: 'manage_users', scope: 'chain' } } as const;
  const u = `${API_BASE}/users`;

  app.get(
    u,
    {
      schema: {
        summary: 'Users with a grant at a store you manage users of, with their grants',
        security: bearer,
        response: { 200: z.array(userRow), ...errors },
      },
      config: manage,
    },
    async (req) => listUsers(db, storesFor(principalOf(req), 'manage_users')),
  );

  app.post(
    u,
    {
      schema: {
        summary: 'Add a user with their grants (each a role over a store, a district or the chain)',
        security: bearer,
        body: z.object({
          username: usernameSchema,
          displayName: z.string().trim().min(1).max(200),
          password: passwordSchema,
          grants: z.array(grant).min(1).max(100),
        }),
        response: { 201: meResponse, ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      await assertMayGrant(db, principalOf(req).permissions, req.body.grants);
      const user = await addUser(db, req.body);
      await audit(req).record({
        action: 'access.user_added',
        target: { type: 'user', id: user.username },
        after: { displayName: user.displayName, grants: req.body.grants },
      });
      req.log.info({ username: user.username, by: principalOf(req).actor }, 'user added');
      return reply.status(201).send({ user });
    },
  );

  app.put(
    `${u}/:username/grants`,
    {
      schema: {
        summary:
          "Replace a user's grants (you must be able to give both what is added and what is taken away)",
        security: bearer,
        params: usernameParam,
        body: z.object({ grants: z.array(grant).max(100) }),
        response: { 200: z.object({ user: userRow }), ...errors },
      },
      config: manage,
    },
    async (req) => {
      const before = (await listUsers(db, 'all')).find((x) => x.username === req.params.username);
      await setGrants(db, principalOf(req).permissions, req.params.username, req.body.grants);
      const row = (await listUsers(db, 'all')).find((x) => x.username === req.params.username);
      if (!row) throw notFound(`user ${req.params.username}`, 'username');
      await audit(req).record({
        action: 'access.grants_changed',
        target: { type: 'user', id: row.username },
        before: before ? { grants: before.grants } : null,
        after: { grants: row.grants },
      });
      return { user: row };
    },
  );

  app.post(
    `${u}/:username/deactivate`,
    {
      schema: {
        summary: 'Deactivate a user: they can no longer sign in, and their sessions end',
        security: bearer,
        params: usernameParam,
        response: { 204: z.null(), ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      await deactivateUser(db, principalOf(req).permissions, req.params.username);
      const target = { type: 'user', id: req.params.username };
      await audit(req).record({ action: 'access.user_deactivated', target, after: { active: false } });
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${u}/:username/password`,
    {
      schema: {
        summary: "Reset a user's password; their sessions end",
        security: bearer,
        params: usernameParam,
        body: z.object({ password: passwordSchema }),
        response: { 204: z.null(), ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      await resetPassword(db, principalOf(req).permissions, req.params.username, req.body.password);
      // Never the password: only that it was set, and by whom.
      await audit(req).record({
        action: 'access.password_reset',
        target: { type: 'user', id: req.params.username },
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${API_BASE}/roles`,
    {
      schema: {
        summary: 'Roles with their permissions and how many grants name each',
        security: bearer,
        response: { 200: z.array(roleRow), ...errors },
      },
      config: manage,
    },
    async () => listRoles(db),
  );

  app.put(
    `${API_BASE}/roles/:id`,
    {
      schema: {
        summary:
          'Create or change a role: its name and all its permissions (only permissions you hold over the chain; never leaving nobody able to manage users)',
        security: bearer,
        params: z.object({ id: z.string().min(1).max(40) }),
        body: roleInput,
        response: { 200: roleRow, ...errors },
      },
      config: manageChain,
    },
    async (req) => {
      const before = (await listRoles(db)).find((r) => r.id === req.params.id) ?? null;
      const saved = await saveRole(db, principalOf(req).permissions, req.params.id, req.body);
      await audit(req).record({
        action: 'access.role_saved',
        target: { type: 'role', id: saved.id },
        before,
        after: saved,
      });
      return saved;
    },
  );

  app.delete(
    `${API_BASE}/roles/:id`,
    {
      schema: {
        summary: 'Delete a role no grant names',
        security: bearer,
        params: z.object({ id: z.string().min(1).max(40) }),
        response: { 204: z.null(), ...errors },
      },
      config: manageChain,
    },
    async (req, reply) => {
      const before = (await listRoles(db)).find((r) => r.id === req.params.id) ?? null;
      await deleteRole(db, req.params.id);
      await audit(req).record({
        action: 'access.role_deleted',
        target: { type: 'role', id: req.params.id },
        before,
      });
      return reply.status(204).send(null);
    },
  );
};
