import type { Logger } from 'pino';
import { z } from 'zod';
import { API_BASE, type IngestBatch, type IngestResult, ingestResultSchema } from '../../contracts/index.ts';
import { type Clock, systemClock } from '../../core/index.ts';
import type { Ledger } from '../ledger.ts';
import { memoryRevocation, type RevocationRecord, revokedMessage } from './revocation.ts';
import { decideMark } from './sync-mark.ts';
import { type SyncStatus, syncAction } from './sync-status.ts';
import { tillSyncState } from './till-sync-state.ts';
import { encodeBatch } from './wire-codec.ts';

/**
 * Ships the ledger to HQ: events HQ does not hold yet (seq > acked), oldest first, in gzip batches.
 * HQ stores each event once, so resending is always safe; the till only moves its mark to what HQ says
 * it holds, and never over an event HQ refused as a conflict (sync-mark.ts): then it stops sending,
 * remembers why in ledger.db and says so in its status until an operator clears it. The ledger itself
 * is never trimmed: the mark is all that "sent" means here.
 */
export type OutboxStatus = SyncStatus;

export interface OutboxOptions {
  ledger: Ledger;
  hqUrl: string;
  token: string;
  logger: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Wait between polls when nothing is pending; an append wakes the loop sooner. */
  idleMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  /** Where a revocation by HQ is remembered (the till's data folder); memory when absent. */
  revocation?: RevocationRecord;
}

export interface Outbox {
  /** Sends one batch; resolves with how many events went and how far the mark moved. */
  sendBatch(): Promise<{ sent: number; ackedUpTo: number; result?: IngestResult }>;
  /** Sends until nothing is pending or a send fails; never throws, the status says what happened. */
  flush(): Promise<OutboxStatus>;
  status(): OutboxStatus;
  /** Runs the background loop: send, back off on failure, idle when empty. */
  start(): void;
  stop(): Promise<void>;
  /** Ship soon: called when a sale commits. */
  wake(): void;
  /**
   * Asks HQ how far it holds this terminal's events, so a till whose ledger went back in time says so
   * at start rather than at its first conflict. Never throws; resolves with HQ's highest seq when known.
   */
  probe(timeoutMs?: number): Promise<number | undefined>;
}

export class SyncError extends Error {
  readonly kind: 'network' | 'unauthorized' | 'server' | 'refused' | 'stalled' | 'conflict' | 'revoked';
  constructor(kind: SyncError['kind'], message: string) {
    super(message);
    this.name = 'SyncError';
    this.kind = kind;
  }
}

/** Exponential backoff with equal jitter, so a fleet of tills does not reconnect in lockstep. */
export function backoffMs(failures: number, min: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, min * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function createOutbox(opts: OutboxOptions): Outbox {
  const { ledger, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? fetch;
  const batchSize = opts.batchSize ?? 500;
  const idleMs = opts.idleMs ?? 2_000;
  const minBackoff = opts.minBackoffMs ?? 1_000;
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  const random = opts.random ?? Math.random;
  const base = `${opts.hqUrl.replace(/\/$/, '')}${API_BASE}`;
  const url = `${base}/ingest`;
  const syncState = tillSyncState(ledger.db, ledger.terminalId, () => clock.now());
  const revocation = opts.revocation ?? memoryRevocation();
  let lastError: string | null = null;
  // A conflict's error stops mattering once an operator clears the conflict (from another process).
  let lastErrorWasConflict = false;
  let running = false;
  let loopDone: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let interrupt: (() => void) | undefined;
  let woken = false;
  // One send at a time: the loop and a manual flush would otherwise post the same batch twice.
  let lock: Promise<unknown> = Promise.resolve();

  const status = (): OutboxStatus => {
    const s = ledger.outboxStats();
    const oldest = s.oldestPendingAt ? Date.parse(s.oldestPendingAt) : undefined;
    const conflicts = syncState.openConflicts();
    const rollback = syncState.rollback();
    const revoked = revocation.read();
    if (conflicts.length === 0 && lastErrorWasConflict) {
      lastError = null;
      lastErrorWasConflict = false;
    }
    return {
      state: revoked
        ? 'revoked'
        : conflicts.length > 0
          ? 'conflict'
          : lastError
            ? 'failing'
            : s.pending > 0
              ? 'sending'
              : 'synced',
      pending: s.pending,
      oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000),
      ackedUpTo: s.ackedUpTo,
      lastSeq: s.lastSeq,
      lastSyncAt: s.lastSyncAt ?? null,
      lastError,
      conflicts,
      quarantined: syncState.quarantined(10),
      rollback,
      action: syncAction({ conflicts, rollback, revoked }),
      revoked,
    };
  };

  const stoppedError = (seqs: readonly number[]): SyncError =>
    new SyncError(
      'conflict',
      `sync stopped: HQ refused seq ${seqs.slice(0, 5).join(', ')}${seqs.length > 5 ? ' …' : ''} as a conflict; sales stay in this till's ledger`,
    );

  const noteHqAhead = (hqSeq: number, tillSeq: number): void => {
    if (syncState.rollback() === null)
      logger.error(
        { hqSeq, tillSeq },
        "HQ holds events of this terminal beyond this till's ledger: the ledger went back in time (restored backup, VM snapshot, lost writes); new sales will reuse seqs HQ holds. Tell head office.",
      );
    syncState.noteRollback(hqSeq, tillSeq);
  };

  /** Remembers HQ's revocation (said once, loudly) and gives the error that stops sending. */
  const noteRevoked = (message: string): SyncError => {
    if (revocation.read() === null) {
      revocation.record(message, clock.now());
      const s = ledger.outboxStats();
      logger.error({ pending: s.pending }, `sync stopped: ${message}`);
    }
    return new SyncError('revoked', message);
  };

  const post = async (batch: IngestBatch): Promise<IngestResult> => {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          authorization: `Bearer ${opts.token}`,
        },
        body: encodeBatch(batch),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new SyncError('network', `cannot reach HQ at ${url}: ${cause ?? (err as Error).message}`);
    }
    if (res.status === 401) {
      const revoked = revokedMessage(await res.json().catch(() => undefined));
      if (revoked !== undefined) throw noteRevoked(revoked);
      throw new SyncError('unauthorized', 'HQ refused the terminal token (401); re-enroll this terminal');
    }
    if (res.status >= 500) throw new SyncError('server', `HQ answered ${res.status}`);
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new SyncError('refused', `HQ refused the batch with ${res.status}: ${text.slice(0, 300)}`);
    }
    const parsed = ingestResultSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new SyncError('server', 'HQ answered with a body that is not an IngestResult');
    return parsed.data;
  };

  const sendOnce = async (): Promise<{ sent: number; ackedUpTo: number; result?: IngestResult }> => {
    const revoked = revocation.read();
    // Nothing more goes to HQ: every unsent event stays in the ledger for whoever recovers this till.
    if (revoked) throw new SyncError('revoked', revoked.message);
    const open = syncState.openConflicts();
    if (open.length > 0) throw stoppedError(open.map((c) => c.seq));
    const acked = ledger.ackedUpTo();
    const events = ledger.range(acked + 1, batchSize);
    if (events.length === 0) return { sent: 0, ackedUpTo: acked };
    const before = status();
    const batch: IngestBatch = {
      terminalId: ledger.terminalId,
      events,
      outbox: { pending: before.pending, oldestAgeSeconds: before.oldestAgeSeconds },
    };
    const result = await post(batch);
    const tillLastSeq = ledger.lastSeq();
    // Only what this till sent and HQ holds: never over a conflict, never past our own ledger.
    const decision = decideMark(
      acked,
      events.map((e) => e.seq),
      tillLastSeq,
      result,
    );
    syncState.record(decision.rejections);
    const held = decision.mark;
    if (held > acked) ledger.markAcked(held);
    if (decision.hqAhead !== undefined) noteHqAhead(decision.hqAhead, tillLastSeq);
    const quarantined = decision.rejections.filter((r) => r.kind === 'quarantined');
    if (quarantined.length > 0)
      logger.warn(
        { quarantined: quarantined.slice(0, 10), count: quarantined.length },
        'HQ quarantined events: it keeps them and lists them for head office',
      );
    const conflicts = decision.rejections.filter((r) => r.kind === 'conflict');
    if (conflicts.length > 0) {
      logger.error(
        { conflicts: conflicts.slice(0, 10), count: conflicts.length, ackedUpTo: ledger.ackedUpTo() },
        'HQ refused events as conflicts: sync stopped, the till keeps selling and keeps every event',
      );
      throw stoppedError(conflicts.map((c) => c.seq).sort((a, b) => a - b));
    }
    if (held <= acked) {
      throw new SyncError(
        'stalled',
        `HQ holds up to seq ${result.heldUpTo} but the oldest unsent is ${acked + 1}; gaps: ${JSON.stringify(result.gaps)}`,
      );
    }
    lastError = null;
    lastErrorWasConflict = false;
    const after = status();
    logger.info(
      {
        sent: events.length,
        accepted: result.accepted,
        duplicates: result.duplicates,
        ackedUpTo: after.ackedUpTo,
        pending: after.pending,
        oldestAgeSeconds: after.oldestAgeSeconds,
      },
      'outbox batch sent',
    );
    return { sent: events.length, ackedUpTo: after.ackedUpTo, result };
  };

  const sendBatch = (): Promise<{ sent: number; ackedUpTo: number; result?: IngestResult }> => {
    const run = lock.then(sendOnce, sendOnce);
    lock = run.catch(() => undefined);
    return run.catch((err: unknown) => {
      lastError = err instanceof Error ? err.message : String(err);
      lastErrorWasConflict = err instanceof SyncError && err.kind === 'conflict';
      throw err;
    });
  };

  /** Waits `ms`; stop() always cuts it short, a new event only when `wakeable` (not during backoff). */
  const pause = (ms: number, wakeable: boolean): Promise<void> =>
    new Promise((resolve) => {
      if (!running || (wakeable && woken)) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        interrupt = undefined;
        wakeUp = undefined;
        resolve();
      }
      interrupt = done;
      if (wakeable) wakeUp = done;
    });

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (running) {
      try {
        const r = await sendBatch();
        failures = 0;
        if (r.sent > 0) continue;
        await pause(idleMs, true);
      } catch (err) {
        if (err instanceof SyncError && (err.kind === 'conflict' || err.kind === 'revoked')) {
          // Logged when HQ answered; poll quietly until an operator clears it (sync-status --retry).
          failures = 0;
          await pause(idleMs, false);
          continue;
        }
        failures++;
        const s = status();
        if (err instanceof SyncError && err.kind === 'unauthorized') {
          logger.error(
            { pending: s.pending, oldestAgeSeconds: s.oldestAgeSeconds },
            'HQ refused this terminal token: re-enroll the terminal (tally terminal --token …); sales stay in the ledger meanwhile',
          );
          await pause(maxBackoff, false);
          continue;
        }
        const delay = backoffMs(failures, minBackoff, maxBackoff, random);
        logger.warn(
          { err: lastError, pending: s.pending, oldestAgeSeconds: s.oldestAgeSeconds, retryInMs: delay },
          'outbox cannot ship; will retry',
        );
        // Not wakeable: a busy till must not turn backoff into a hot retry loop against a failing HQ.
        await pause(delay, false);
      }
    }
  };

  const unsubscribe = ledger.onAppend(() => {
    if (wakeUp) wakeUp();
    else woken = true;
  });

  return {
    sendBatch,
    status,
    async flush() {
      try {
        while ((await sendBatch()).sent > 0) {
          // keep going until empty
        }
      } catch {
        // lastError is set; the status carries it to the caller
      }
      return status();
    },
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      unsubscribe();
      interrupt?.();
      await loopDone;
      await lock;
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async probe(timeoutMs = 5_000) {
      const tillSeq = ledger.lastSeq();
      try {
        const res = await doFetch(`${base}/terminal/sync`, {
          headers: { authorization: `Bearer ${opts.token}` },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.status === 401) {
          const revoked = revokedMessage(await res.json().catch(() => undefined));
          if (revoked !== undefined) noteRevoked(revoked);
        }
        if (!res.ok) {
          logger.debug({ status: res.status }, 'HQ did not answer the sync probe');
          return undefined;
        }
        const held = hqHoldsSchema.safeParse(await res.json().catch(() => undefined));
        if (!held.success) return undefined;
        const hqSeq = Math.max(held.data.heldUpTo, held.data.maxSeq);
        if (hqSeq > tillSeq) noteHqAhead(hqSeq, tillSeq);
        return hqSeq;
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'sync probe failed; HQ unreachable');
        return undefined;
      }
    },
  };
}

/** HQ's answer to GET /api/v1/terminal/sync (src/apps/hq/terminal-sync-routes.ts). */
const hqHoldsSchema = z.object({ heldUpTo: z.number().int(), maxSeq: z.number().int() });
