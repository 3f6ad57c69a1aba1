import { gmailMailbox, intendedDomain } from './email-typos.ts';
import type { IdentityProfile } from './identity.ts';

/**
 * Blocking: which pairs of profiles are worth scoring at all. Comparing 100k profiles pairwise is five
 * billion comparisons; instead each profile gets a few keys, and only profiles sharing a key are
 * compared. Each key is built so that the near-misses duplicate-score.ts looks for share one:
 * - a phone (or card) with two neighbouring positions masked: numbers one digit apart, or with two
 *   neighbouring digits swapped, share a mask;
 * - an email's local part, and with one letter deleted, within its domain (one edit apart share one);
 * - an email's local part with its domain corrected ("gmial.com" → "gmail.com"), and a Gmail mailbox;
 * - each word of the name, with the other words' first (or last) letters and the postcode.
 * A shared store is no key: it never flags a pair alone (duplicate-score.ts), only adds to evidence
 * that has a key of its own, and a store's blocks would hold thousands.
 * Blocks larger than `maxBlockSize` (a name word everybody in a town has) are skipped and counted.
 */

export function blockingKeys(p: IdentityProfile): string[] {
  const keys: string[] = [];
  // Two neighbouring positions masked: numbers one digit apart share the mask over that digit (with
  // either neighbour), swapped neighbours share the mask over both. One key per position, not two.
  const masked = (tag: string, s: string, from: number) => {
    for (let i = from; i + 1 < s.length; i++) keys.push(`${tag}:${s.slice(0, i)}**${s.slice(i + 2)}`);
  };
  // Skip "+" and the first digit: a slip there changes the country, which is not a typo we look for.
  if (p.phone) masked('p', p.phone, 2);
  if (p.loyaltyCard) masked('c', p.loyaltyCard, 0);
  if (p.email) {
    const at = p.email.lastIndexOf('@');
    const local = p.email.slice(0, at);
    const domain = p.email.slice(at + 1);
    keys.push(`el:${local}@${intendedDomain(domain) ?? domain}`);
    const mailbox = gmailMailbox(p.email);
    if (mailbox) keys.push(`gm:${mailbox}`);
    // The local part itself and with each letter deleted: one insertion, deletion or replacement apart
    // always meet (an insertion's shorter side is the longer side less one letter).
    if (local.length >= 4 && local.length <= 40) {
      keys.push(`ed:${local}@${domain}`);
      for (let i = 0; i < local.length; i++)
        keys.push(`ed:${local.slice(0, i)}${local.slice(i + 1)}@${domain}`);
    }
  }
  if (p.name) {
    // Each word whole with the other words' first letters, and with their last letters: "anna meier" and
    // "ana meier" share "meier|a"; one slip cannot change both ends of a word, so "thomas ifscher" and
    // "thomas fischer" still share "thomas|r".
    const words = [...new Set(p.name.split(' '))].sort();
    if (p.postcode)
      for (const w of words) {
        const others = words.filter((o) => o !== w);
        keys.push(`np:${p.postcode}|${w}|${others.map((o) => o[0]).join('')}`);
        keys.push(`nq:${p.postcode}|${w}|${others.map((o) => o[o.length - 1]).join('')}`);
      }
  }
  return keys;
}

export interface BlockingStats {
  profiles: number;
  blocks: number;
  /** Distinct pairs handed to scoring. */
  comparisons: number;
  /** Blocks over maxBlockSize, left out (their pairs may still meet through another key). */
  skippedBlocks: number;
}

/** FNV-1a, 32 bits: blocking keys become numbers, and a rare collision only adds a pair to score. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Index pairs [i, j] (i < j) of profiles sharing a blocking key, each pair once. Keys are not kept in a
 * Map (two million string keys at 100k profiles cost seconds and half a gigabyte): each (key, profile) is
 * packed into one double, key hash above the profile index, and one numeric sort puts every block's
 * members next to each other.
 */
export function candidatePairs(
  profiles: readonly IdentityProfile[],
  maxBlockSize: number,
): { pairs: Array<[number, number]>; stats: BlockingStats } {
  const n = profiles.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const hashBits = Math.min(32, 53 - indexBits);
  const hashSpace = 2 ** hashBits;
  const slot = 2 ** indexBits;
  let packed = new Float64Array(Math.max(16, n * 24));
  let used = 0;
  profiles.forEach((p, i) => {
    for (const k of blockingKeys(p)) {
      if (used === packed.length) {
        const bigger = new Float64Array(packed.length * 2);
        bigger.set(packed);
        packed = bigger;
      }
      packed[used++] = (hash32(k) % hashSpace) * slot + i;
    }
  });
  const sorted = packed.subarray(0, used).sort();
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  let blocks = 0;
  let skippedBlocks = 0;
  for (let start = 0; start < used; ) {
    const block = Math.floor(sorted[start]! / slot);
    let end = start + 1;
    while (end < used && Math.floor(sorted[end]! / slot) === block) end++;
    // One profile can give a key twice ("anna" less either n); equal values are adjacent once sorted.
    const members: number[] = [];
    for (let x = start; x < end; x++)
      if (x === start || sorted[x] !== sorted[x - 1]) members.push(sorted[x]! % slot);
    start = end;
    if (members.length > maxBlockSize) skippedBlocks++;
    if (members.length < 2 || members.length > maxBlockSize) continue;
    blocks++;
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) {
        const code = members[x]! * n + members[y]!;
        if (seen.has(code)) continue;
        seen.add(code);
        pairs.push([members[x]!, members[y]!]);
      }
  }
  return { pairs, stats: { profiles: n, blocks, comparisons: pairs.length, skippedBlocks } };
}
