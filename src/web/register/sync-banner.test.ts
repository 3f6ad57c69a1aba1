import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../contracts/index.ts';
import { syncBannerText } from './sync-banner.ts';

const base: SyncStatus = {
  state: 'sending',
  pending: 3,
  oldestAgeSeconds: 10,
  ackedUpTo: 7,
  lastSeq: 10,
  lastSyncAt: null,
  lastError: null,
  conflicts: [],
  quarantined: { count: 0, recent: [] },
  rollback: null,
  action: null,
};
const refused = (seq: number) => ({
  seq,
  eventId: `e${seq}`,
  kind: 'conflict' as const,
  reason: `seq ${seq} is held under another id`,
  firstSeenAt: '2026-01-01T00:00:00Z',
  lastSeenAt: '2026-01-01T00:00:00Z',
});

describe('the register sync banner', () => {
  it('says "Sync stopped" with the refused seqs and what to do when HQ found a conflict', () => {
    const text = syncBannerText({
      ...base,
      state: 'conflict',
      conflicts: [refused(4), refused(5)],
      action: 'Call head office.',
    });
    expect(text?.title).toMatch(/^Sync stopped: .*seq 4, 5.*Keep selling/);
    expect(text).toMatchObject({ tone: 'stopped', detail: 'Call head office.' });
  });

  it('says the till was revoked, with head office’s reason, once HQ refused it', () => {
    const message = 'this till was revoked at HQ: reported stolen (terminal T1, 2026-01-01T00:00:00.000Z).';
    const text = syncBannerText({
      ...base,
      state: 'revoked',
      revoked: { message, detectedAt: '2026-01-01T00:00:01Z' },
      action: message,
    });
    expect(text).toMatchObject({ tone: 'stopped', detail: message });
    expect(text?.title).toMatch(/^Sync stopped: head office revoked this till/);
  });

  it('warns when the till’s ledger is behind HQ, and stays quiet when all is well or only offline', () => {
    expect(
      syncBannerText({ ...base, state: 'sending', rollback: { hqSeq: 9, tillSeq: 4, detectedAt: 'x' } })
        ?.title,
    ).toMatch(/behind head office.*9.*4/);
    expect(syncBannerText({ ...base, state: 'synced', conflicts: [], rollback: null })).toBeUndefined();
    expect(syncBannerText({ ...base, state: 'failing', lastError: 'cannot reach HQ' })).toBeUndefined();
    expect(syncBannerText(undefined)).toBeUndefined();
  });
});
