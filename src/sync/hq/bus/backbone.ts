/**
 * The event backbone: carries every event HQ accepts from the outbox to the projections (and, with
 * NATS, to anyone else subscribed). Two implementations with one contract:
 * - in-process (embedded default): drains the outbox into the projections in this process;
 * - NATS JetStream (`--nats`): publishes the outbox to a stream and projects from a durable consumer.
 */
export interface BackboneStatus {
  kind: 'in-process' | 'nats';
  /** Accepted events the bus has not taken yet (still in the outbox). */
  outbox: number;
  /** Events taken by the bus but not yet in the projections (NATS: the consumer's backlog). */
  unprojected: number;
  /** In-process: always true. NATS: the client is connected right now. */
  connected: boolean;
  /** Events this process applied to the projections since it started. */
  projected: number;
  /** Events this process published to NATS since it started. */
  published: number;
  /** The last failure, kept until the next success. */
  lastError: string | null;
  stream?: string;
  subjects?: string;
}

export interface Backbone {
  readonly kind: BackboneStatus['kind'];
  /**
   * Tells the bus new events are committed. In-process it resolves once they are projected, so an
   * embedded HQ reads its writes; with NATS at once (publishing and projection follow shortly).
   * Never rejects: a failure is logged, kept in status(), and retried.
   */
  kick(): Promise<void>;
  /** Resolves once every accepted event is in the projections; rejects after `timeoutMs`. */
  settle(timeoutMs?: number): Promise<void>;
  status(): Promise<BackboneStatus>;
  close(): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` one call at a time; a call made while one runs is folded into a single rerun. */
export function serialized(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const run = (): Promise<void> => {
    if (!running) {
      running = fn().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running.then(
      () => {
        queued = undefined;
        return run();
      },
      () => {
        queued = undefined;
        return run();
      },
    );
    return queued;
  };
  return run;
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
