import { describe, expect, it } from 'vitest';
import { syncBannerText } from './sync-banner.ts';

const base = { pending: 3, oldestAgeSeconds: 10, lastSyncAt: null, lastError: null };

describe('the register sync banner', () => {
  it('says "Sync stopped" with the refused seqs and what to do when HQ found a conflict', () => {
    const text = syncBannerText({
      ...base,
      state: 'conflict',
      conflicts: [
        { seq: 4, reason: 'seq 4 is held under another id' },
        { seq: 5, reason: 'seq 5 is held under another id' },
      ],
      action: 'Call head office.',
    });
    expect(text?.title).toMatch(/^Sync stopped: .*seq 4, 5.*Keep selling/);
    expect(text).toMatchObject({ tone: 'stopped', detail: 'Call head office.' });
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
