import { describe, expect, it } from 'vitest';
import { rfmScores, SEGMENTS, segmentOf, summarizeSegments } from './rfm.ts';

describe('RFM scores and segments', () => {
  it('names the shop-floor cases', () => {
    expect(segmentOf({ r: 5, f: 5, m: 5 })).toBe('champions');
    expect(segmentOf({ r: 5, f: 1, m: 2 })).toBe('new customers');
    expect(segmentOf({ r: 4, f: 1, m: 1 })).toBe('promising');
    expect(segmentOf({ r: 4, f: 4, m: 3 })).toBe('loyal customers');
    expect(segmentOf({ r: 5, f: 3, m: 3 })).toBe('potential loyalists');
    expect(segmentOf({ r: 3, f: 3, m: 3 })).toBe('need attention');
    expect(segmentOf({ r: 1, f: 5, m: 5 })).toBe("can't lose");
    expect(segmentOf({ r: 2, f: 4, m: 4 })).toBe('at risk');
    expect(segmentOf({ r: 2, f: 1, m: 1 })).toBe('hibernating');
    expect(segmentOf({ r: 1, f: 1, m: 1 })).toBe('lost');
    // Never bought (only returns): no scores, lost.
    expect(segmentOf({ r: 0, f: 0, m: 0 })).toBe('lost');
  });

  it('scores by quintile: the most recent, most frequent, biggest spender gets 5s; ties share a score', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      customer: `c${i}`,
      recencyDays: i * 10,
      frequency: i < 5 ? 1 : 10 - i,
      monetary: 100 - i,
    }));
    const s = rfmScores([
      ...rows,
      { customer: 'returns-only', recencyDays: Number.NaN, frequency: 0, monetary: 0 },
    ]);
    expect(s[0]).toEqual({ r: 5, f: 1, m: 5 });
    expect(s[9]?.r).toBe(1);
    // Five customers bought once: all share the lowest frequency score.
    expect(new Set(s.slice(0, 5).map((x) => x.f))).toEqual(new Set([1]));
    expect(s[5]?.f).toBe(5);
    expect(s[10]).toEqual({ r: 0, f: 0, m: 0 });
  });

  it('summarises every named segment with a one-sentence description', () => {
    const summary = summarizeSegments([
      { segment: 'champions', expectedSpend: 50, monetary: 500, pActive: 0.9 },
      { segment: 'champions', expectedSpend: 30, monetary: 300, pActive: 0.7 },
      { segment: 'lost', expectedSpend: 0, monetary: 10, pActive: 0.1 },
    ]);
    expect(summary).toHaveLength(Object.keys(SEGMENTS).length);
    const champ = summary.find((s) => s.segment === 'champions');
    expect(champ).toMatchObject({ customers: 2, expectedSpend: 80, historicSpend: 800 });
    expect(champ?.meanPActive).toBeCloseTo(0.8, 12);
    for (const s of summary) expect(s.description).toMatch(/^[A-Z].*\.$/);
  });
});
