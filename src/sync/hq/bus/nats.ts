import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { EventEnvelope } from '../../../core/index.ts';
import type { HqDb } from '../../../db/index.ts';
import type { EventRegistry } from '../../event-kinds.ts';
import { projectEvents } from '../ingest-projections.ts';
import { type Backbone, type BackboneStatus, errorText, serialized, sleep } from './backbone.ts';
import { outboxDepth, peek, remove } from './outbox.ts';
import {
  checkName,
  DEFAULT_DURABLE,
  DEFAULT_STREAM,
  DEFAULT_SUBJECT_PREFIX,
  eventSubject,
} from './subjects.ts';

export interface NatsBusOptions {
  /** nats://host:port (several separated by commas). */
  url: string;
  stream?: string;
  subjectPrefix?: string;
  /** The durable consumer that builds HQ's projections. */
  durable?: string;
  logger?: Logger;
  /** Events per publish round and per projection transaction. */
  batch?: number;
  /** How often to retry the outbox when nothing kicks it (ms). */
  pollMs?: number;
}

const nanos = (ms: number): number => ms * 1_000_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The NATS JetStream backbone. Relay: outbox rows are published with the event id as message id
 * (JetStream drops a repeat inside its duplicate window) and leave the outbox only once acknowledged,
 * so NATS being down costs nothing but delay: ingest keeps accepting, the outbox grows and drains
 * when NATS returns. Consumer: a durable pull consumer applies messages to the projections through
 * projectEvents (idempotent by event id) and acknowledges after commit, so a crash between the two
 * means a redelivery that changes nothing.
 */
export function natsBackbone(db: HqDb, registry: EventRegistry, opts: NatsBusOptions): Backbone {
  const stream = checkName('stream', opts.stream ?? DEFAULT_STREAM);
  const durable = checkName('durable', opts.durable ?? DEFAULT_DURABLE);
  const prefix = opts.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  const batch = opts.batch ?? 1_000;
  const log = opts.logger?.child({ module: 'nats-bus', stream });
  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;
  let ready = false;
  let closed = false;
  let projected = 0;
  let published = 0;
  let lastError: string | null = null;
  /** Connected right now (not between a disconnect and the reconnect). */
  let online = false;
  let stopConsuming = (): void => undefined;
  // Waits that close() cuts short: a backoff between connection attempts must not hold up shutdown.
  const naps = new Set<() => void>();
  const nap = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        naps.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      naps.add(done);
    });
  const watch = async (conn: NatsConnection): Promise<void> => {
    for await (const s of conn.status()) {
      if (s.type === 'disconnect') online = false;
      if (s.type === 'reconnect') online = true;
    }
  };
  const fail = (what: string, err: unknown): void => {
    const text = `${what}: ${errorText(err)}`;
    if (text !== lastError) log?.warn({ err: errorText(err) }, `${what}; will retry`);
    lastError = text;
  };

  const setup = async (): Promise<void> => {
    for (let wait = 250; !closed; wait = Math.min(wait * 2, 5_000)) {
      try {
        nc = await connect({
          servers: opts.url.split(','),
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 250,
          timeout: 2_000,
          name: 'tally-hq',
        });
        if (closed) break;
        void watch(nc);
        online = true;
        const jsm = await jetstreamManager(nc);
        const subjects = [`${prefix}.>`];
        try {
          await jsm.streams.info(stream);
        } catch {
          await jsm.streams.add({ name: stream, subjects, duplicate_window: nanos(120_000) });
        }
        try {
          await jsm.consumers.info(stream, durable);
        } catch {
          await jsm.consumers.add(stream, {
            durable_name: durable,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            filter_subject: `${prefix}.>`,
            ack_wait: nanos(30_000),
            max_ack_pending: 20_000,
          });
        }
        if (closed) break;
        js = jetstream(nc);
        ready = true;
        lastError = null;
        log?.info({ url: opts.url, subjects }, 'connected to NATS JetStream');
        return;
      } catch (err) {
        fail('connecting to NATS', err);
        await nc?.close().catch(() => undefined);
        nc = undefined;
        online = false;
        await nap(wait);
      }
    }
    // Closed while connecting: the connection is not handed to anyone.
    await nc?.close().catch(() => undefined);
  };

  /** Publishes the outbox, oldest first, in rounds; stops at the first failure (retried later). */
  const relay = serialized(async () => {
    if (!ready || !js || nc?.isClosed()) return;
    const client = js;
    try {
      for (;;) {
        const items = await peek(db, batch);
        if (items.length === 0) break;
        await Promise.all(
          items.map((i) =>
            client.publish(eventSubject(prefix, i.event), encoder.encode(JSON.stringify(i.event)), {
              msgID: i.event.id,
              timeout: 5_000,
            }),
          ),
        );
        await remove(
          db,
          items.map((i) => i.pos),
        );
        published += items.length;
        if (items.length < batch) break;
      }
      if (lastError?.startsWith('publishing')) lastError = null;
    } catch (err) {
      fail('publishing to NATS', err);
    }
  });

  const consumeLoop = async (): Promise<void> => {
    while (!closed) {
      if (!ready || !js) {
        await nap(100);
        continue;
      }
      try {
        const consumer = await js.consumers.get(stream, durable);
        const msgs = await consumer.consume({ max_messages: batch * 2 });
        stopConsuming = () => msgs.stop();
        // close() may have come while the consumer was being set up, before it could stop it.
        if (closed) msgs.stop();
        let got: JsMsg[] = [];
        // Micro-batches: project what has arrived as soon as the iterator runs dry or a batch is full,
        // one transaction each, and acknowledge only after it commits.
        for await (const m of msgs) {
          got.push(m);
          if (got.length < batch && msgs.getPending() > 0) continue;
          const events = got.map((x) => JSON.parse(decoder.decode(x.data)) as EventEnvelope);
          let clean = true;
          try {
            projected += await db.transaction().execute((trx) => projectEvents(trx, registry, events));
            for (const x of got) x.ack();
          } catch {
            // One bad event must not hold up the rest: one at a time, and a message that fails on its
            // own comes back in a minute (it stays in the stream and in the log; status() shows it).
            for (const [k, x] of got.entries()) {
              try {
                projected += await db
                  .transaction()
                  .execute((trx) => projectEvents(trx, registry, [events[k]!]));
                x.ack();
              } catch (err) {
                fail(`consuming from NATS: event ${events[k]!.id} fails to project`, err);
                x.nak(60_000);
                clean = false;
              }
            }
          }
          got = [];
          if (clean && lastError?.startsWith('consuming')) lastError = null;
        }
      } catch (err) {
        if (closed) return;
        fail('consuming from NATS', err);
        await nap(500);
      }
    }
  };

  const pollMs = opts.pollMs ?? 1_000;
  const timer = setInterval(() => void relay(), pollMs);
  timer.unref();
  const started = setup().then(() => relay());
  const consuming = consumeLoop();

  const consumerBacklog = async (): Promise<number | undefined> => {
    if (!ready || !nc) return undefined;
    try {
      const jsm = await jetstreamManager(nc, { timeout: 2_000 });
      const info = await jsm.consumers.info(stream, durable);
      return info.num_pending + info.num_ack_pending;
    } catch {
      return undefined;
    }
  };

  const status = async (): Promise<BackboneStatus> => {
    const backlog = await consumerBacklog();
    return {
      kind: 'nats',
      outbox: await outboxDepth(db),
      unprojected: backlog ?? 0,
      connected: ready && nc !== undefined && !nc.isClosed() && backlog !== undefined,
      projected,
      published,
      lastError,
      stream,
      subjects: `${prefix}.>`,
    };
  };

  return {
    kind: 'nats',
    // Does not wait: with NATS down a publish waits for its timeout, and ingest must not.
    kick: async () => {
      void relay();
    },
    status,
    settle: async (timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await relay();
        if ((await outboxDepth(db)) === 0 && (await consumerBacklog()) === 0) return;
        if (Date.now() > until) throw new Error(`bus not settled after ${timeoutMs} ms: ${lastError ?? ''}`);
        await sleep(50);
      }
    },
    /**
     * Prompt whatever NATS is doing: backoffs are cut short, the consumer stops pulling and finishes the
     * micro-batch in hand (projected and acknowledged), the outbox is published only while NATS is
     * there. No drain(): on a disconnected client it waits on reconnect attempts, and nothing needs it:
     * what is not published stays in the outbox and what is not acknowledged is redelivered and skipped
     * by projectEvents on the next start.
     */
    close: async () => {
      clearInterval(timer);
      closed = true;
      for (const wake of [...naps]) wake();
      stopConsuming();
      await started.catch(() => undefined);
      // The in-flight batch normally ends at once; a consumer stuck on a dead connection ends with it.
      await Promise.race([consuming, nap(2_000)]);
      if (online) {
        await Promise.race([relay(), nap(2_000)]);
        await Promise.race([nc?.flush().catch(() => undefined), nap(1_000)]);
      }
      ready = false;
      await nc?.close().catch(() => undefined);
      await consuming;
      await relay();
      for (const wake of [...naps]) wake();
    },
  };
}
