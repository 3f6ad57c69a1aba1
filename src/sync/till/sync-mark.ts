import type { IngestResult } from '../../contracts/index.ts';
import type { RejectionKind } from './till-sync-state.ts';

/**
 * How far the till's "HQ holds it" mark may move after one HQ answer, as a pure function so the rule
 * can be checked against every answer HQ could give. The mark only ever covers events HQ says it
 * holds: never a seq HQ answered with a conflict (it holds another event there, or this id with other
 * content), never a seq it lists as a gap, never past what this till sent. A rejection without a
 * kind comes from an older HQ and counts as a conflict.
 */
export interface MarkDecision {
  /** The new mark; never below the old one. */
  mark: number;
  /** Every rejection with its kind made explicit. */
  rejections: { eventId: string; seq: number; kind: RejectionKind; reason: string }[];
  /** The lowest conflicting seq above the old mark, if any: sending stops there. */
  lowestConflict: number | undefined;
  /** The highest seq HQ shows it has for this terminal, when that is beyond this ledger's last seq. */
  hqAhead: number | undefined;
}

export function decideMark(
  acked: number,
  sentSeqs: readonly number[],
  tillLastSeq: number,
  result: IngestResult,
): MarkDecision {
  const rejections = result.rejected.map((r) => ({
    eventId: r.id,
    seq: r.seq,
    kind: (r.kind ?? 'conflict') as RejectionKind,
    reason: r.reason,
  }));
  const lastSent = sentSeqs.length > 0 ? Math.max(...sentSeqs) : acked;
  let limit = Math.min(result.heldUpTo, lastSent);
  let lowestConflict: number | undefined;
  for (const r of rejections) {
    if (r.kind !== 'conflict' || r.seq <= acked) continue;
    lowestConflict = lowestConflict === undefined ? r.seq : Math.min(lowestConflict, r.seq);
  }
  if (lowestConflict !== undefined) limit = Math.min(limit, lowestConflict - 1);
  // An HQ that reports a gap below its own heldUpTo contradicts itself: believe the gap.
  for (const g of result.gaps) if (g.from > acked) limit = Math.min(limit, g.from - 1);
  let hqSeen = result.heldUpTo;
  // A gap ending at `to` means HQ has seen `to + 1`.
  for (const g of result.gaps) hqSeen = Math.max(hqSeen, g.to + 1);
  return {
    mark: Math.max(acked, limit),
    rejections,
    lowestConflict,
    hqAhead: hqSeen > tillLastSeq ? hqSeen : undefined,
  };
}
