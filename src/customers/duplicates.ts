import { type BlockingStats, candidatePairs } from './duplicate-blocking.ts';
import { assessPair } from './duplicate-score.ts';
import type { IdentityProfile } from './identity.ts';

/**
 * The duplicate review queue: pairs of profiles that are probably one customer, strongest first, each
 * with its score and reasons. Nothing here merges: a person confirms each pair, and the merge is a
 * customer.merged event (merge-events.ts) that can be undone.
 */

export interface DuplicateCandidate {
  /** The two profiles, the smaller id first. */
  customerIds: [string, string];
  score: number;
  kind: 'exact' | 'probable';
  reasons: string[];
}

export interface DuplicateOptions {
  /** Pairs scoring below this are left out (default 0.7). */
  threshold?: number;
  /** Registrations this many days apart or fewer count as close (default 30). */
  registrationWindowDays?: number;
  /** Blocks with more profiles are skipped (default 200): see duplicate-blocking.ts. */
  maxBlockSize?: number;
  /** Leave out pairs that share a phone, email or card (default false: they head the queue). */
  excludeExact?: boolean;
}

export interface DuplicateReport {
  candidates: DuplicateCandidate[];
  stats: BlockingStats;
}

export const DEFAULT_DUPLICATE_THRESHOLD = 0.7;

/** Review order: highest score first, exact matches before probable ones at a tie, then by ids. */
export function compareCandidates(x: DuplicateCandidate, y: DuplicateCandidate): number {
  if (x.score !== y.score) return y.score - x.score;
  if (x.kind !== y.kind) return x.kind === 'exact' ? -1 : 1;
  const [a, b] = [x.customerIds.join('\u0000'), y.customerIds.join('\u0000')];
  return a < b ? -1 : a > b ? 1 : 0;
}

export function findDuplicates(
  profiles: readonly IdentityProfile[],
  options: DuplicateOptions = {},
): DuplicateReport {
  const threshold = options.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  const scoreOptions = { registrationWindowDays: options.registrationWindowDays ?? 30 };
  const { pairs, stats } = candidatePairs(profiles, options.maxBlockSize ?? 200);
  const candidates: DuplicateCandidate[] = [];
  for (const [i, j] of pairs) {
    const a = profiles[i]!;
    const b = profiles[j]!;
    if (a.customerId === b.customerId) continue;
    const assessed = assessPair(a, b, scoreOptions);
    if (assessed.score < threshold || (options.excludeExact && assessed.kind === 'exact')) continue;
    const ids: [string, string] =
      a.customerId < b.customerId ? [a.customerId, b.customerId] : [b.customerId, a.customerId];
    candidates.push({ customerIds: ids, ...assessed });
  }
  return { candidates: candidates.sort(compareCandidates), stats };
}
