import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findDuplicates } from './duplicates.ts';
import { type CustomerProfileInput, identityProfile } from './identity.ts';

/**
 * How well the review queue finds the duplicates planted in a committed 200-profile chain
 * (test/fixtures/customer-duplicates.json, from test/fixtures/customer-profiles.ts). Some planted pairs
 * share nothing but a name (registered at another store with another phone): no finder should flag those
 * over namesakes, so recall below 1 is expected, and the floors say what must not get worse.
 */
interface Fixture {
  storeCountries: Record<string, string>;
  profiles: CustomerProfileInput[];
  duplicates: Array<[string, string, string]>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/customer-duplicates.json', import.meta.url), 'utf8'),
) as Fixture;
const key = (a: string, b: string) => (a < b ? `${a}+${b}` : `${b}+${a}`);

describe('duplicate finder on the planted fixture', () => {
  const profiles = fixture.profiles.map((p) => identityProfile(p, fixture.storeCountries[p.storeId!]));
  const planted = new Map(fixture.duplicates.map(([a, b, kind]) => [key(a, b), kind]));
  const { candidates, stats } = findDuplicates(profiles);
  const flagged = new Set(candidates.map((c) => key(...c.customerIds)));
  const truePositives = [...flagged].filter((k) => planted.has(k)).length;
  const precision = truePositives / flagged.size;
  const recall = truePositives / planted.size;
  const missed = [...planted].filter(([k]) => !flagged.has(k));
  const unknowable = [...planted.values()].filter((kind) => kind === 'other store, nothing shared').length;
  const knowableRecall = truePositives / (planted.size - unknowable);
  const wrong = candidates.filter((c) => !planted.has(key(...c.customerIds)));
  console.info(
    `duplicates: ${profiles.length} profiles, ${planted.size} planted, ${flagged.size} flagged, ` +
      `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (${knowableRecall.toFixed(3)} of those sharing more ` +
      `than a name), ${stats.comparisons} pairs compared\n` +
      `missed: ${missed.map(([k, kind]) => `${k} (${kind})`).join('; ') || 'none'}\n` +
      `wrongly flagged: ${wrong.map((c) => `${c.customerIds.join('+')} ${c.score} ${c.reasons.join('; ')}`).join(' | ') || 'none'}`,
  );

  it('flags the planted duplicates it can know about, and few others', () => {
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(knowableRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('finds every mistyped phone, email domain and differently typed number', () => {
    const mustFind = [
      'phone digit typo',
      'phone swapped digits',
      'phone typed differently',
      'email domain typo',
    ];
    expect(missed.filter(([, kind]) => mustFind.includes(kind))).toEqual([]);
  });

  it('compares a small share of all pairs', () => {
    expect(stats.comparisons).toBeLessThan((profiles.length * (profiles.length - 1)) / 2 / 20);
  });
});
