import { type SyncStatus, syncStatusSchema } from '../../contracts/index.ts';

/**
 * The till's sync status as the register API, the register screen and `tally terminal sync-status`
 * show it: how much HQ does not hold yet, and when sending has stopped, why and what to do. Its shape
 * is the register API's (src/contracts/register.ts).
 */
export { type SyncStatus, syncStatusSchema };

export const CLEAR_COMMAND = 'tally terminal sync-status --data <folder> --retry --by <your name>';

/** The sentence the screen and the command print when the till has stopped or looks rolled back. */
export function syncAction(s: Pick<SyncStatus, 'conflicts' | 'rollback' | 'revoked'>): string | null {
  const parts: string[] = [];
  if (s.revoked) parts.push(s.revoked.message);
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
