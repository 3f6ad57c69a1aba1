import type { SqliteDb } from '../../db/index.ts';
import { eraseAtTill } from './till-erasure.ts';

/**
 * The till's side of the key channel. A customer registered here has its data key in customer_keys;
 * the sync loop hands each unsent key to HQ (PUT /api/v1/customers/:id/key, terminal-authenticated),
 * never inside an event, and marks it sent once HQ holds it. HQ may get the key before or after the
 * customer.created event; its projection opens the sealed fields when both are there. A customer HQ says
 * was erased is forgotten here at once; the catalog pull brings the other erasures (forgetCustomers).
 */
export interface KeySyncResult {
  sent: number;
  /** Customers HQ had erased: dropped here. */
  forgotten: number;
  /** HQ unreachable or refusing for now: tried again on the next round. */
  pending: number;
}

export function unsentCustomerKeys(db: SqliteDb, limit = 100): { customerId: string; key: string }[] {
  return (
    db
      .prepare('SELECT customer_id, data_key FROM customer_keys WHERE sent_at IS NULL ORDER BY rowid LIMIT ?')
      .all(limit) as { customer_id: string; data_key: string }[]
  ).map((r) => ({ customerId: r.customer_id, key: r.data_key }));
}

/**
 * Forgets customers HQ erased (till-erasure.ts: row, key, consents, points, plaintext registrations in
 * the ledger); returns how many were held here. Called with every catalog pull, also with none, so
 * registrations HQ has received since are redacted too.
 */
export const forgetCustomers = (db: SqliteDb, customerIds: readonly string[]): number =>
  eraseAtTill(db, customerIds).forgotten;

export async function sendCustomerKeys(opts: {
  db: SqliteDb;
  hqUrl: string;
  /** The till's line to HQ (it puts the current token on any Authorization header). */
  fetch: typeof fetch;
  token: string;
  now?: () => Date;
  timeoutMs?: number;
}): Promise<KeySyncResult> {
  const out: KeySyncResult = { sent: 0, forgotten: 0, pending: 0 };
  const markSent = opts.db.prepare('UPDATE customer_keys SET sent_at = ? WHERE customer_id = ?');
  for (const { customerId, key } of unsentCustomerKeys(opts.db)) {
    let res: Response;
    try {
      res = await opts.fetch(`${opts.hqUrl.replace(/\/$/, '')}/api/v1/customers/${customerId}/key`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch {
      out.pending++;
      break; // Offline: the rest wait for the next round too.
    }
    const body = (await res.json().catch(() => ({}))) as { field?: unknown };
    if (res.ok) {
      markSent.run((opts.now?.() ?? new Date()).toISOString(), customerId);
      out.sent++;
    } else if (res.status === 409 && body.field === 'customerId') {
      out.forgotten += forgetCustomers(opts.db, [customerId]);
    } else out.pending++;
  }
  return out;
}

/**
 * The till's key loop: hands unsent keys to HQ every `intervalMs`, and at once after a customer is
 * registered (so the key usually reaches HQ with or before the batch carrying the event).
 */
export function startCustomerKeySync(opts: {
  db: SqliteDb;
  hqUrl: string;
  fetch: typeof fetch;
  token: () => string;
  intervalMs: number;
  onResult?: (r: KeySyncResult) => void;
  onError?: (err: unknown) => void;
}): { nudge(): void; stop(): void } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const round = (): void => {
    if (running || stopped) return;
    running = sendCustomerKeys({ db: opts.db, hqUrl: opts.hqUrl, fetch: opts.fetch, token: opts.token() })
      .then((r) => {
        if (r.sent + r.forgotten > 0) opts.onResult?.(r);
      })
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(round, opts.intervalMs);
  timer.unref();
  return {
    nudge: round,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
