import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { type Availability, availability } from './availability.ts';

export interface FeedFilter {
  /** Undefined: every store (the admin); otherwise only these. */
  storeIds?: readonly string[];
  sku?: string;
}

type Listener = (rows: Availability[]) => void;

/**
 * Availability changes, read from the database so they include every writer (ingest, the bus
 * consumer, HQ commands, another HQ process). Each poll reads the levels written by transactions not
 * yet finished at the previous poll (`xid >= xmin` of that poll's snapshot), so a transaction that
 * commits late is still seen, and drops the versions it already sent. Polls only while someone listens.
 */
export class AvailabilityFeed {
  private readonly listeners = new Map<Listener, FeedFilter>();
  private readonly sent = new Map<string, number>();
  private cursor: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly db: HqDb,
    private readonly opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Starts listening; resolves once changes from this moment on will be delivered. */
  async subscribe(filter: FeedFilter, listener: Listener): Promise<() => void> {
    this.listeners.set(listener, filter);
    if (!this.timer) {
      await this.poll();
      this.timer = setInterval(() => void this.poll(), this.opts.intervalMs ?? 250);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cursor = undefined;
    this.sent.clear();
  }

  /** One poll at a time; a slow database makes polls farther apart, never overlapping. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce()
      .catch((err) => this.opts.onError?.(err))
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const first = this.cursor === undefined;
    const { rows } = await sql<{
      xmin: string;
      store_id: string | null;
      sku: string | null;
      version: number | null;
    }>`
      WITH snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin)
      SELECT snap.xmin, s.store_id, s.sku, s.version
      FROM snap LEFT JOIN stock_on_hand s ON ${first ? sql`false` : sql`s.xid >= ${this.cursor}::xid8`}
    `.execute(this.db);
    this.cursor = rows[0]?.xmin;
    const changed = rows.filter(
      (r): r is { xmin: string; store_id: string; sku: string; version: number } =>
        r.store_id !== null &&
        r.sku !== null &&
        (this.sent.get(`${r.store_id}\u0000${r.sku}`) ?? -1) < Number(r.version),
    );
    if (changed.length === 0) return;
    const now = await availability(this.db, {
      keys: changed.map((r) => ({ storeId: r.store_id, sku: r.sku })),
    });
    for (const a of now) this.sent.set(`${a.storeId}\u0000${a.sku}`, a.version);
    for (const [listener, f] of this.listeners) {
      const mine = now.filter(
        (a) => (!f.storeIds || f.storeIds.includes(a.storeId)) && (!f.sku || f.sku === a.sku),
      );
      if (mine.length > 0) listener(mine);
    }
  }
}
