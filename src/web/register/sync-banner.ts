import type { SyncStatus } from '../../contracts/index.ts';

/**
 * The words of the register's sync banner, apart from React so they are tested as plain data: a till
 * that stopped sending, or whose ledger went back in time, must say so where the cashier looks, not
 * only in a log nobody reads.
 */
export interface SyncBannerText {
  tone: 'stopped' | 'warning';
  title: string;
  detail: string;
}

export function syncBannerText(s: SyncStatus | undefined): SyncBannerText | undefined {
  if (!s) return undefined;
  if (s.state === 'revoked' || s.revoked)
    return {
      tone: 'stopped',
      title: 'Sync stopped: head office revoked this till. Every sale stays on this till; call head office.',
      detail: s.revoked?.message ?? s.action ?? 'Call head office.',
    };
  const conflicts = s.conflicts ?? [];
  if (s.state === 'conflict' || conflicts.length > 0) {
    const seqs = conflicts.map((c) => c.seq);
    return {
      tone: 'stopped',
      title: `Sync stopped: head office refused ${seqs.length === 1 ? 'an event' : `${seqs.length} events`} of this till (seq ${seqs.slice(0, 3).join(', ')}${seqs.length > 3 ? ' …' : ''}). Keep selling; every sale is kept on this till.`,
      detail: s.action ?? 'Call head office.',
    };
  }
  if (s.rollback)
    return {
      tone: 'warning',
      title: `This till's records are behind head office (head office holds up to ${s.rollback.hqSeq}, this till ${s.rollback.tillSeq}).`,
      detail: s.action ?? 'Tell head office.',
    };
  return undefined;
}
