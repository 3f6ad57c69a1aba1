import type { EventEnvelope } from '../../core/index.ts';

/**
 * How ingest decides what one delivered event is, against what HQ already holds for its id and its
 * seq (in the log or in quarantine, including earlier events of the same batch). Pure, so the rules
 * of the sync protocol are tested without a database.
 */
export interface HeldEvent {
  where: 'log' | 'quarantine';
  id: string;
  terminalId: string;
  seq: number;
  /** Content hash (content-hash.ts) of what HQ holds. */
  hash: string;
  /** Why it was quarantined, for a quarantined one. */
  reason?: string;
  /** The envelope, when it came in this batch (else loaded from the database when needed). */
  envelope?: EventEnvelope;
}

export interface HeldIndex {
  byId: Map<string, HeldEvent>;
  /** Keyed by seq: one terminal's seqs only. */
  bySeq: Map<number, HeldEvent>;
}

export type Classification =
  /** Nothing held under its id or seq: store it (or quarantine it if it breaks the rules). */
  | { kind: 'new' }
  /** The same event again (same id, seq and content): acknowledged, not stored again. */
  | { kind: 'duplicate'; held: HeldEvent }
  /** Collides with another event: refused, recorded with both, never passed by the till. */
  | { kind: 'conflict'; held: HeldEvent; reason: string };

export function classifyEvent(e: EventEnvelope, hash: string, held: HeldIndex): Classification {
  const sameId = held.byId.get(e.id);
  if (sameId) {
    if (sameId.terminalId !== e.terminalId || sameId.seq !== e.seq)
      return {
        kind: 'conflict',
        held: sameId,
        reason: `id is already held as ${sameId.terminalId} seq ${sameId.seq}`,
      };
    if (sameId.hash !== hash)
      return {
        kind: 'conflict',
        held: sameId,
        reason: `id is already held at seq ${e.seq} with different content (resent with changes)`,
      };
    return { kind: 'duplicate', held: sameId };
  }
  const sameSeq = held.bySeq.get(e.seq);
  if (sameSeq)
    return {
      kind: 'conflict',
      held: sameSeq,
      reason: `seq ${e.seq} is already held with a different event id (${sameSeq.id}): the till's ledger may have gone back in time`,
    };
  return { kind: 'new' };
}

/** Records an event as held, so later events of the same batch are judged against it. */
export function markHeld(index: HeldIndex, h: HeldEvent): void {
  index.byId.set(h.id, h);
  index.bySeq.set(h.seq, h);
}
