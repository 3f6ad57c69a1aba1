import type { FastifyRequest } from 'fastify';
import { isAdminToken } from '../../access/admin.ts';
import { type AuthenticatedTerminal, authenticateTerminal } from '../../access/terminals.ts';
import { bearerToken } from '../../access/tokens.ts';
import { unauthorized } from '../../core/errors.ts';
import type { HqDb } from '../../db/hq-db.ts';

/**
 * onRequest hooks: they run before the body is read, so a caller without a valid token learns
 * nothing from validation errors and costs HQ no parsing.
 */
const terminals = new WeakMap<FastifyRequest, AuthenticatedTerminal>();

export const requireTerminal =
  (db: HqDb) =>
  async (req: FastifyRequest): Promise<void> => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized('Authorization: Bearer <terminal token> is required');
    const terminal = await authenticateTerminal(db, token);
    if (!terminal) throw unauthorized('unknown terminal token; enroll the terminal again');
    terminals.set(req, terminal);
  };

export function terminalOf(req: FastifyRequest): AuthenticatedTerminal {
  const t = terminals.get(req);
  if (!t) throw unauthorized();
  return t;
}

export const requireAdmin =
  (db: HqDb) =>
  async (req: FastifyRequest): Promise<void> => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized('Authorization: Bearer <admin token> is required');
    if (!(await isAdminToken(db, token))) throw unauthorized('invalid admin token');
  };
