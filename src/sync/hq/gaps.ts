import { sql } from 'kysely';
import type { SeqRange } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';

export interface SeqCoverage {
  /** Every seq 1..heldUpTo is held. */
  heldUpTo: number;
  /** Highest seq held (≥ heldUpTo). */
  maxSeq: number;
  /** Ranges missing between heldUpTo and maxSeq, oldest first. */
  gaps: SeqRange[];
}

/**
 * Missing ranges in a sorted list of held sequence numbers above `heldUpTo`. Pure, for tests and
 * for callers that already hold the numbers.
 */
export function coverageFromSeqs(heldUpTo: number, sortedSeqs: readonly number[]): SeqCoverage {
  const gaps: SeqRange[] = [];
  let prev = heldUpTo;
  for (const s of sortedSeqs) {
    if (s <= prev) continue;
    if (s > prev + 1) gaps.push({ from: prev + 1, to: s - 1 });
    prev = s;
  }
  return { heldUpTo: gaps[0] ? gaps[0].from - 1 : prev, maxSeq: prev, gaps };
}

/**
 * The coverage of one terminal's log (events stored and events quarantined: both are held), scanning only seqs above a known `heldUpTo` (which the
 * terminals row keeps), so a till with no gaps costs one index range scan of its newest events.
 * Returns just the rows that begin a gap plus the last one, never the whole range.
 */
export async function seqCoverage(db: HqDb, terminalId: string, heldUpTo: number): Promise<SeqCoverage> {
  const { rows } = await sql<{ seq: number; prev: number; is_last: boolean }>`
    SELECT seq, prev, is_last FROM (
      SELECT seq,
             lag(seq, 1, ${heldUpTo}::bigint) OVER (ORDER BY seq) AS prev,
             seq = max(seq) OVER () AS is_last
      FROM (
        SELECT seq FROM events WHERE terminal_id = ${terminalId} AND seq > ${heldUpTo}
        UNION ALL
        SELECT seq FROM sync_quarantine WHERE terminal_id = ${terminalId} AND seq > ${heldUpTo}
      ) held
    ) s
    WHERE seq > prev + 1 OR is_last
    ORDER BY seq`.execute(db);
  const gaps: SeqRange[] = [];
  let maxSeq = heldUpTo;
  for (const r of rows) {
    if (r.seq > r.prev + 1) gaps.push({ from: r.prev + 1, to: r.seq - 1 });
    if (r.is_last) maxSeq = r.seq;
  }
  return { heldUpTo: gaps[0] ? gaps[0].from - 1 : maxSeq, maxSeq, gaps };
}
