import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { terminalOf } from '../../access/index.ts';
import { API_BASE, ingestBatchSchema, ingestResultSchema } from '../../contracts/index.ts';
import { TallyError } from '../../core/index.ts';
import { ingestBatch, TerminalGate, tooManyEvents } from '../../sync/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

/**
 * The till's door into HQ: POST /api/v1/ingest. Kept apart from the other routes because it is the
 * one a till hammers, so it carries the bounds that keep one till from stalling HQ: unpacked size,
 * events per batch, and one batch at a time per terminal.
 */
export const ingestRoute: HqRoutes = (app, { db, backbone, registry, ingest: limits }) => {
  const gate = new TerminalGate();
  app.post(
    `${API_BASE}/ingest`,
    {
      schema: {
        summary:
          'Store a batch of till events exactly once (gzip JSON with Content-Encoding: gzip, or plain JSON)',
        security: bearer,
        body: ingestBatchSchema,
        response: { 200: ingestResultSchema },
      },
      config: { access: 'terminal' },
      // Fastify refuses a larger declared body up front; the counter below names the limit for the rest.
      bodyLimit: limits.maxBatchBytes + 1,
      // Decompress as a stream and count what comes out, so the limit bounds the inflated size: a
      // small gzip bomb cannot make HQ allocate gigabytes.
      preParsing: async (req, _reply, payload) => {
        const encoding = req.headers['content-encoding'];
        if (encoding !== undefined && encoding !== 'identity' && encoding !== 'gzip') {
          throw Object.assign(new Error(`unsupported Content-Encoding "${encoding}"; use gzip`), {
            statusCode: 415,
          });
        }
        const counter = byteLimit(limits.maxBatchBytes);
        if (encoding === 'gzip') {
          const gunzip = createGunzip();
          payload.on('error', (err) => gunzip.destroy(err));
          gunzip.on('error', (err) => counter.destroy(err));
          const counted = Object.assign(counter, { receivedEncodedLength: 0 });
          payload.on('data', (chunk: Buffer) => {
            counted.receivedEncodedLength += chunk.length;
          });
          return payload.pipe(gunzip).pipe(counted);
        }
        payload.on('error', (err) => counter.destroy(err));
        return payload.pipe(counter);
      },
      // Before the schema parses thousands of events: an oversized batch is refused by its count.
      preValidation: async (req) => {
        const events = (req.body as { events?: unknown } | null)?.events;
        if (Array.isArray(events) && events.length > limits.maxEventsPerBatch)
          throw tooManyEvents(events.length, limits);
      },
    },
    async (req, reply) => {
      const terminal = terminalOf(req);
      const release = gate.tryEnter(terminal.terminalId);
      if (!release) {
        reply.header('Retry-After', '1');
        throw new TallyError(
          'busy',
          `terminal ${terminal.terminalId} already has a batch being stored; send the next one when it is answered`,
          'terminalId',
        );
      }
      try {
        const result = await ingestBatch(db, registry, terminal, req.body, {
          logger: req.log,
          project: 'bus',
          limits,
          wireBytes: Number(req.headers['content-length'] ?? 0),
        });
        // In-process this returns once the batch is projected, so an embedded HQ reads its writes;
        // with NATS at once.
        if (result.accepted > 0) await backbone.kick();
        return result;
      } finally {
        release();
      }
    },
  );
};

/** Passes bytes through until `max`, then fails with a 413 naming the limit. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max)
        return done(
          new TallyError(
            'too_large',
            `events: the batch unpacks to more than ${max} bytes; send fewer events per batch`,
            'events',
          ),
        );
      done(null, chunk);
    },
  });
}
