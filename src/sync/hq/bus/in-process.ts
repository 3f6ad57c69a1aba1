import type { Logger } from 'pino';
import type { HqDb } from '../../../db/index.ts';
import type { EventRegistry } from '../../event-kinds.ts';
import { projectEvents } from '../ingest-projections.ts';
import { type Backbone, type BackboneStatus, errorText, serialized, sleep } from './backbone.ts';
import { outboxDepth, peek, remove } from './outbox.ts';

export interface InProcessOptions {
  logger?: Logger;
  /** Events per transaction. */
  batch?: number;
  /** Also drain on a timer (events appended by another process, or left by a crash); 0 turns it off. */
  pollMs?: number;
}

/**
 * The embedded bus: takes events from the outbox and applies them to the projections, and removes
 * them from the outbox, in one transaction, so each is projected exactly once even across crashes.
 */
export function inProcessBackbone(db: HqDb, registry: EventRegistry, opts: InProcessOptions = {}): Backbone {
  const batch = opts.batch ?? 2_000;
  let projected = 0;
  let lastError: string | null = null;
  let closed = false;

  /** Outbox positions whose event failed to project on its own: skipped until a restart retries them. */
  const stuck = new Map<number, string>();

  const drainOnce = async (size: number): Promise<number> =>
    db.transaction().execute(async (trx) => {
      const items = await peek(trx, size, { lock: true, skip: [...stuck.keys()] });
      if (items.length === 0) return 0;
      projected += await projectEvents(
        trx,
        registry,
        items.map((i) => i.event),
      );
      await remove(
        trx,
        items.map((i) => i.pos),
      );
      return items.length;
    });

  const drain = serialized(async () => {
    try {
      while (!closed) {
        let n: number;
        try {
          n = await drainOnce(batch);
        } catch (err) {
          // One bad event must not hold up the rest: find it by going one at a time, and set it aside
          // (it stays in the outbox and in the log; status() reports it until it projects).
          const [head] = await peek(db, 1, { skip: [...stuck.keys()] });
          if (!head) throw err;
          try {
            await drainOnce(1);
          } catch (one) {
            stuck.set(head.pos, errorText(one));
            opts.logger?.error({ err: one, eventId: head.event.id }, 'in-process bus: event set aside');
          }
          continue;
        }
        if (n < batch) break;
      }
      lastError = stuck.size > 0 ? `${stuck.size} event(s) fail to project: ${[...stuck.values()][0]}` : null;
    } catch (err) {
      lastError = errorText(err);
      opts.logger?.error({ err }, 'in-process bus: projecting from the outbox failed; will retry');
    }
  });

  const pollMs = opts.pollMs ?? 1_000;
  const timer = pollMs > 0 ? setInterval(() => void drain(), pollMs) : undefined;
  timer?.unref();

  const status = async (): Promise<BackboneStatus> => ({
    kind: 'in-process',
    outbox: await outboxDepth(db),
    unprojected: 0,
    connected: true,
    projected,
    published: 0,
    lastError,
  });

  return {
    kind: 'in-process',
    kick: drain,
    status,
    settle: async (timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await drain();
        if ((await outboxDepth(db)) - stuck.size === 0) return;
        if (Date.now() > until) throw new Error(`bus not settled after ${timeoutMs} ms: ${lastError ?? ''}`);
        await sleep(50);
      }
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await drain();
      closed = true;
    },
  };
}
