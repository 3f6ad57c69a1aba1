import { describe, expect, it } from 'vitest';
import { briefingText, pickActions } from './briefing.ts';

const none = { atRisk: [], slowMovers: [], deviations: [], terminals: [], currency: 'EUR' };

describe('the briefing line for a shrunk customer segment', () => {
  it('names the segment, the numbers and whom to invite back', () => {
    const actions = pickActions({
      ...none,
      segmentShrinks: [
        {
          segment: 'loyal customers',
          before: 50,
          now: 44,
          atRisk: 2,
          atRiskClv12Minor: 12_000,
          currency: 'EUR',
        },
        { segment: 'champions', before: 40, now: 26, atRisk: 14, atRiskClv12Minor: 231_000, currency: 'EUR' },
      ],
    });
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      kind: 'customers',
      numbers: { before: 40, now: 26, atRisk: 14, atRiskClv12Minor: 231_000 },
    });
    const text = briefingText('all stores', '2026-04-01', actions);
    expect(text).toContain('Champions shrank from 40 to 26 customers');
    expect(text).toContain('invite the 14 at-risk former champions back: expected value 2310.00 EUR');
  });

  it('says nothing about customers when no valuable segment shrank', () => {
    expect(pickActions({ ...none, segmentShrinks: [] })).toEqual([]);
  });
});
