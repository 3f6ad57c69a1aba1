import { z } from 'zod';

/**
 * The till's sync status as the register API, the register screen and `tally terminal sync-status`
 * show it: how much HQ does not hold yet, and when sending has stopped, why and what to do.
 */
const rejectionSchema = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  kind: z.enum(['quarantined', 'conflict']),
  reason: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});

export const syncStatusSchema = z.object({
  /**
   * `synced`: HQ holds everything; `sending`: events wait and the last try worked; `failing`: the last
   * try failed (offline, HQ down) and is retried; `conflict`: HQ refused an event it cannot hold, the
   * till stopped sending and keeps selling; someone must act (see `action`).
   */
  state: z.enum(['synced', 'sending', 'failing', 'conflict']),
  pending: z.number().int(),
  oldestAgeSeconds: z.number(),
  ackedUpTo: z.number().int(),
  lastSeq: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Events HQ refused as conflicts and nobody has cleared, lowest seq first. */
  conflicts: z.array(rejectionSchema),
  /** Events HQ holds in its quarantine (kept, listed at head office): the newest few and the count. */
  quarantined: z.object({ count: z.number().int(), recent: z.array(rejectionSchema) }),
  /** HQ once held more of this terminal's events than this ledger has: the ledger went back in time. */
  rollback: z
    .object({ hqSeq: z.number().int(), tillSeq: z.number().int(), detectedAt: z.string() })
    .nullable(),
  /** What to do next, in words, when someone has to act; null otherwise. */
  action: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const CLEAR_COMMAND = 'tally terminal sync-status --data <folder> --retry --by <your name>';

/** The sentence the screen and the command print when the till has stopped or looks rolled back. */
export function syncAction(s: Pick<SyncStatus, 'conflicts' | 'rollback'>): string | null {
  const parts: string[] = [];
  if (s.rollback)
    parts.push(
      `HQ holds events up to seq ${s.rollback.hqSeq} from this till but its ledger had only ${s.rollback.tillSeq}: ` +
        'the ledger was restored from an older copy or lost writes.',
    );
  if (s.conflicts.length > 0) {
    const seqs = s.conflicts.map((c) => c.seq);
    parts.push(
      `HQ refused seq ${seqs.slice(0, 5).join(', ')}${seqs.length > 5 ? ' …' : ''} as a conflict, so this till ` +
        'stopped sending. Keep selling: every sale stays in this till’s ledger. Call head office: HQ lists ' +
        `both events of each conflict. Once head office has dealt with them, retry with \`${CLEAR_COMMAND}\`.`,
    );
  } else if (s.rollback) {
    parts.push(
      'New sales may reuse seqs HQ already holds and stop sending; tell head office. ' +
        `Clear this notice with \`${CLEAR_COMMAND}\`.`,
    );
  }
  return parts.length > 0 ? parts.join(' ') : null;
}
