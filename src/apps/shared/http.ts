import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyReply, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { redact } from '../../core/index.ts';
import { installErrorHandler, sendError } from './error-handler.ts';
import { SECURITY_HEADERS, sendHsts, sendSecurityHeaders } from './security-headers.ts';

export type App = Awaited<ReturnType<typeof createHttpApp>>;

/** A certificate and its key, PEM, for serving HTTPS (`--tls-cert`, `--tls-key`). */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

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
  /** Serve HTTPS with this certificate; plain HTTP when absent. */
  tls?: TlsFiles;
}) {
  const app = Fastify({
    // Typed as the plain-HTTP instance either way: routes and hooks see the same request and reply.
    ...(opts.tls ? ({ https: { cert: opts.tls.cert, key: opts.tls.key } } as object) : {}),
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
      return sendError(reply, tooLong ? 414 : 400, {
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
  if (opts.tls) sendHsts(app);
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
