import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import type { ErrorBody } from '../../contracts/index.ts';
import { isTallyError, TallyError } from '../../core/index.ts';

/**
 * The one place HQ and the till turn a failure into an answer: every non-2xx carries `errorBody`
 * (src/contracts/api.ts), `{ error, message, field? }`, so a client always learns which field to fix.
 * Routes throw (`TallyError` from core/errors, or a `RefusalError` for the few codes outside it);
 * hooks that answer before a route runs send through `sendError`.
 */

/** Sends an error body; the one writer of error answers outside the handler itself. */
export const sendError = (reply: FastifyReply, status: number, body: ErrorBody): FastifyReply =>
  reply.status(status).send(body);

/**
 * A refusal whose wire code is not one of core's ErrorCodes (`invalid_credentials`, `rate_limited`),
 * optionally with headers (Retry-After). Thrown like any error, answered by the shared handler.
 */
export class RefusalError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'RefusalError';
  }
}

/** "no route GET /api/v1/nope": what an unknown path answers, on both apps. */
export const noRoute = (req: Pick<FastifyRequest, 'method' | 'url'>): TallyError =>
  new TallyError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`);

/** The answer to an error that reached the handler: status and body, in the one shape. */
export function errorAnswer(err: unknown): { status: number; body: ErrorBody } | undefined {
  if (err instanceof RefusalError) return { status: err.status, body: err.body };
  if (isTallyError(err)) return { status: err.status, body: err.toJSON() };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0];
    const path = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const field = [err.validationContext, path].filter(Boolean).join('.');
    return {
      status: 400,
      body: { error: 'validation', message: `${field}: ${first?.message ?? 'invalid'}`, field },
    };
  }
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const field = issue?.path.join('.') ?? '';
    return { status: 400, body: { error: 'validation', message: `${field}: ${issue?.message}`, field } };
  }
  const status = (err as Partial<FastifyError> | undefined)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Framework refusals (malformed JSON, wrong content type, body too large) are about the body.
    const field = status === 415 ? 'content-type' : 'body';
    return {
      status,
      body: { error: 'bad_request', message: `${field}: ${(err as Error).message}`, field },
    };
  }
  return undefined;
}

/** Installs the error and not-found handlers on an app (createHttpApp does, for both apps). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const answer = errorAnswer(err);
    if (answer) {
      if (err instanceof RefusalError) reply.headers(err.headers);
      return sendError(reply, answer.status, answer.body);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, 500, { error: 'internal', message: 'internal error; see the server log' });
  });
  app.setNotFoundHandler((req, reply) => {
    const err = noRoute(req);
    return sendError(reply, err.status, err.toJSON());
  });
}
