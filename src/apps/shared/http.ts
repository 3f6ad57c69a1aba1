import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { isTallyError } from '../../core/errors.ts';
import { redact } from '../../core/log.ts';
import { SECURITY_HEADERS, sendSecurityHeaders } from './security-headers.ts';

export type App = Awaited<ReturnType<typeof createHttpApp>>;

/**
 * The Fastify instance both HQ and the till start from: zod schemas for validation and OpenAPI,
 * `/openapi.json`, `/health`, and one error shape `{ error, message, field }` for every failure,
 * so a client always learns which field to fix.
 */
export async function createHttpApp(opts: {
  title: string;
  description: string;
  logger: Logger;
  bodyLimit?: number;
}) {
  const app = Fastify({
    // Whatever logger the caller gave, request logs never carry a token, a PIN or a cookie.
    loggerInstance: opts.logger.child({}, { redact }) as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    // Per-request lines would drown the events that matter; routes log what they change.
    logController: new LogController({ disableRequestLogging: true }),
    // A path the router cannot even read answers in the one error shape too, without echoing it back.
    frameworkErrors: (err, _req, res) => {
      // The reply of a request no route matched: typed for no route, so its status and body are free.
      const reply = res as unknown as FastifyReply;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      return reply.status(tooLong ? 414 : 400).send({
        error: 'validation',
        message: tooLong
          ? 'url: a part of the path is too long for any id or code'
          : 'url: the path holds a %-escape that is not valid UTF-8',
        field: 'url',
      });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  sendSecurityHeaders(app);
  // Awaited so routes added after this call are seen by the OpenAPI generator.
  await app.register(swagger, {
    openapi: {
      info: { title: opts.title, description: opts.description, version: '0.1.0' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  installErrorHandler(app);
  return app;
}

type ErrorBody = { error: string; message: string; field?: string };

function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    if (isTallyError(err)) return reply.status(err.status).send(err.toJSON());
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const path = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      const field = [err.validationContext, path].filter(Boolean).join('.');
      const body: ErrorBody = {
        error: 'validation',
        message: `${field}: ${first?.message ?? 'invalid'}`,
        field,
      };
      return reply.status(400).send(body);
    }
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      const field = issue?.path.join('.') ?? '';
      return reply.status(400).send({ error: 'validation', message: `${field}: ${issue?.message}`, field });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Framework refusals (malformed JSON, wrong content type, body too large) are about the body.
      const field = status === 415 ? 'content-type' : 'body';
      return reply
        .status(status)
        .send({ error: 'bad_request', message: `${field}: ${(err as Error).message}`, field });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error; see the server log' });
  });
}
