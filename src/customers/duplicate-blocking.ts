import { gmailMailbox, intendedDomain } from './email-typos.ts';
import type { IdentityProfile } from './identity.ts';

/**
 * Blocking: which pairs of profiles are worth scoring at all. Comparing 100k profiles pairwise is five
 * billion comparisons; instead each profile gets a few keys, and only profiles sharing a key are
 * compared. Each key is built so that the near-misses duplicate-score.ts looks for share one:
 * - a phone (or card) with one position masked: numbers one digit apart share the mask of that digit;
 *   two neighbouring positions masked catch swapped digits;
 * - an email's local part with one letter deleted, within its domain (one edit apart share a deletion);
 * - an email's local part with its domain corrected ("gmial.com" → "gmail.com"), and a Gmail mailbox;
 * - each word of the name with the postcode, and with the registering store.
 * Blocks larger than `maxBlockSize` (a name word everybody in a town has) are skipped and counted.
 */

export function blockingKeys(p: IdentityProfile): string[] {
  const keys: string[] = [];
  const masked = (tag: string, s: string, from: number) => {
    for (let i = from; i < s.length; i++) {
      keys.push(`${tag}1:${s.slice(0, i)}*${s.slice(i + 1)}`);
      if (i + 1 < s.length) keys.push(`${tag}2:${s.slice(0, i)}**${s.slice(i + 2)}`);
    }
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
    if (local.length >= 4 && local.length <= 40)
      for (let i = 0; i < local.length; i++)
        keys.push(`ed:${local.slice(0, i)}${local.slice(i + 1)}@${domain}`);
  }
  if (p.name) {
    const words = new Set(p.name.split(' ').filter((w) => w.length >= 2));
    for (const w of words) {
      if (p.postcode) keys.push(`np:${p.postcode}|${w}`);
      if (p.storeId) keys.push(`ns:${p.storeId}|${w}`);
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

/**
 * Index pairs [i, j] (i < j) of profiles sharing a blocking key, each pair once. Pairs are encoded as
 * i * n + j in a Set of numbers, exact up to 94 million profiles.
 */
export function candidatePairs(
  profiles: readonly IdentityProfile[],
  maxBlockSize: number,
): { pairs: Array<[number, number]>; stats: BlockingStats } {
  const blocks = new Map<string, number[]>();
  profiles.forEach((p, i) => {
    for (const k of blockingKeys(p)) {
      const b = blocks.get(k);
      if (b === undefined) blocks.set(k, [i]);
      else if (b[b.length - 1] !== i) b.push(i);
    }
  });
  const n = profiles.length;
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  let used = 0;
  let skippedBlocks = 0;
  for (const b of blocks.values()) {
    if (b.length < 2) continue;
    if (b.length > maxBlockSize) {
      skippedBlocks++;
      continue;
    }
    used++;
    for (let x = 0; x < b.length; x++)
      for (let y = x + 1; y < b.length; y++) {
        const code = b[x]! * n + b[y]!;
        if (seen.has(code)) continue;
        seen.add(code);
        pairs.push([b[x]!, b[y]!]);
      }
  }
  return { pairs, stats: { profiles: n, blocks: used, comparisons: pairs.length, skippedBlocks } };
}
