import type { SqliteDb } from '../../db/index.ts';

/**
 * What the till remembers about HQ's refusals, in ledger.db next to the mark, so it survives a
 * restart: conflicts (HQ holds another event under that seq, or this id with other content) stop the
 * outbox until an operator clears them; quarantined events are held by HQ and only shown; a rollback
 * record says HQ once held more of this terminal's events than this ledger has.
 */
export type RejectionKind = 'quarantined' | 'conflict';

export interface SyncRejection {
  seq: number;
  eventId: string;
  kind: RejectionKind;
  reason: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface RollbackRecord {
  /** The highest seq HQ was seen to hold for this terminal. */
  hqSeq: number;
  /** This ledger's last seq when that was seen. */
  tillSeq: number;
  detectedAt: string;
}

export interface TillSyncState {
  /** Records refusals from one HQ answer; a conflict seen again after a clear is open again. */
  record(rejections: readonly { eventId: string; seq: number; kind: RejectionKind; reason: string }[]): void;
  /** Conflicts nobody has cleared, lowest seq first: while there is one, nothing is sent. */
  openConflicts(): SyncRejection[];
  quarantined(limit: number): { count: number; recent: SyncRejection[] };
  noteRollback(hqSeq: number, tillSeq: number): void;
  rollback(): RollbackRecord | null;
  /**
   * An operator's "try again": clears open conflicts and the rollback record (kept as history, with
   * who cleared them). It never moves the mark, so the next send asks HQ about the same events again.
   */
  clear(by: string): { conflicts: number; rollback: boolean };
}

interface RejectionRow {
  seq: number;
  event_id: string;
  kind: RejectionKind;
  reason: string;
  first_seen_at: string;
  last_seen_at: string;
}

const toRejection = (r: RejectionRow): SyncRejection => ({
  seq: r.seq,
  eventId: r.event_id,
  kind: r.kind,
  reason: r.reason,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
});

export function tillSyncState(db: SqliteDb, terminalId: string, now: () => Date): TillSyncState {
  const q = {
    upsert: db.prepare(
      `INSERT INTO sync_rejections (terminal_id, event_id, seq, kind, reason, first_seen_at, last_seen_at)
       VALUES (@terminalId, @eventId, @seq, @kind, @reason, @at, @at)
       ON CONFLICT (terminal_id, event_id) DO UPDATE SET seq = excluded.seq, reason = excluded.reason,
         last_seen_at = excluded.last_seen_at,
         -- An HQ that contradicts itself never turns an open conflict into something to move past.
         kind = CASE WHEN excluded.kind = 'conflict' OR (kind = 'conflict' AND cleared_at IS NULL)
           THEN 'conflict' ELSE excluded.kind END,
         cleared_by = CASE WHEN excluded.kind = 'conflict' THEN NULL ELSE cleared_by END,
         cleared_at = CASE WHEN excluded.kind = 'conflict' THEN NULL ELSE cleared_at END`,
    ),
    open: db.prepare(
      `SELECT * FROM sync_rejections WHERE terminal_id = ? AND kind = 'conflict' AND cleared_at IS NULL
       ORDER BY seq, event_id`,
    ),
    quarantinedCount: db
      .prepare("SELECT COUNT(*) FROM sync_rejections WHERE terminal_id = ? AND kind = 'quarantined'")
      .pluck(),
    quarantined: db.prepare(
      `SELECT * FROM sync_rejections WHERE terminal_id = ? AND kind = 'quarantined'
       ORDER BY seq DESC LIMIT ?`,
    ),
    clearConflicts: db.prepare(
      `UPDATE sync_rejections SET cleared_at = ?, cleared_by = ?
       WHERE terminal_id = ? AND kind = 'conflict' AND cleared_at IS NULL`,
    ),
    rollback: db.prepare(
      `SELECT rollback_hq_seq, rollback_till_seq, rollback_detected_at FROM sync_state
       WHERE terminal_id = ? AND rollback_detected_at IS NOT NULL`,
    ),
    noteRollback: db.prepare(
      `INSERT INTO sync_state (terminal_id, rollback_hq_seq, rollback_till_seq, rollback_detected_at)
       VALUES (@terminalId, @hqSeq, @tillSeq, @at)
       ON CONFLICT (terminal_id) DO UPDATE SET
         rollback_hq_seq = MAX(COALESCE(rollback_hq_seq, 0), excluded.rollback_hq_seq),
         rollback_till_seq = COALESCE(rollback_till_seq, excluded.rollback_till_seq),
         rollback_detected_at = COALESCE(rollback_detected_at, excluded.rollback_detected_at)`,
    ),
    clearRollback: db.prepare(
      `UPDATE sync_state SET rollback_hq_seq = NULL, rollback_till_seq = NULL, rollback_detected_at = NULL
       WHERE terminal_id = ? AND rollback_detected_at IS NOT NULL`,
    ),
  };
  const at = (): string => now().toISOString();

  return {
    record(rejections) {
      if (rejections.length === 0) return;
      const stamp = at();
      db.transaction(() => {
        for (const r of rejections) q.upsert.run({ terminalId, ...r, at: stamp });
      })();
    },
    openConflicts: () => (q.open.all(terminalId) as RejectionRow[]).map(toRejection),
    quarantined: (limit) => ({
      count: q.quarantinedCount.get(terminalId) as number,
      recent: (q.quarantined.all(terminalId, limit) as RejectionRow[]).map(toRejection),
    }),
    noteRollback(hqSeq, tillSeq) {
      q.noteRollback.run({ terminalId, hqSeq, tillSeq, at: at() });
    },
    rollback() {
      const r = q.rollback.get(terminalId) as
        | { rollback_hq_seq: number; rollback_till_seq: number; rollback_detected_at: string }
        | undefined;
      return r
        ? { hqSeq: r.rollback_hq_seq, tillSeq: r.rollback_till_seq, detectedAt: r.rollback_detected_at }
        : null;
    },
    clear(by) {
      return db.transaction(() => ({
        conflicts: q.clearConflicts.run(at(), by, terminalId).changes,
        rollback: q.clearRollback.run(terminalId).changes > 0,
      }))();
    },
  };
}
