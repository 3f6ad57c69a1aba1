import { gmailMailbox, intendedDomain } from './email-typos.ts';
import type { IdentityProfile } from './identity.ts';
import { jaroWinkler } from './jaro-winkler.ts';

/**
 * How likely two customer profiles are one person, with the reasons a reviewer reads. Each kind of
 * evidence gives a score on its own (the strongest wins), further evidence adds a little, and two
 * different phone numbers or mailboxes take some away: a same-named neighbour with another phone is
 * less likely to be the same person. Scores are for ranking a review queue, not probabilities; nothing
 * here merges anything.
 */

export interface PairAssessment {
  /** 0..1; 1 for an exact identifier match. */
  score: number;
  /** "exact": a shared phone, email or card; "probable": everything else. */
  kind: 'exact' | 'probable';
  reasons: string[];
}

export interface ScoreOptions {
  /** Two registrations this close (days) count as "registered close together". */
  registrationWindowDays: number;
}

const DAY_MS = 86_400_000;

/** Each word's best Jaro–Winkler match among the other name's words, averaged (Monge–Elkan). */
function wordwise(a: string[], b: string[]): number {
  const best = (w: string) => Math.max(...b.map((v) => jaroWinkler(w, v)));
  return a.reduce((s, w) => s + best(w), 0) / a.length;
}

/**
 * Names compared whole, with their words sorted ("Lima Ana" = "Ana Lima") and word by word, so that a
 * slip in the first name of a long name is not drowned by the surname's position. The best of the three.
 */
export function nameSimilarity(a: string, b: string): number {
  const [wa, wb] = [a.split(' '), b.split(' ')];
  const sorted = (w: string[]) => [...w].sort().join(' ');
  const words = Math.min(wordwise(wa, wb), wordwise(wb, wa));
  return Math.max(jaroWinkler(a, b), jaroWinkler(sorted(wa), sorted(wb)), words);
}

/** "one digit" when equal length and one position differs, "swapped" for two neighbours swapped. */
function oneSlip(a: string, b: string): 'one' | 'swapped' | undefined {
  if (a.length !== b.length || a === b) return undefined;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  if (diff.length === 1) return 'one';
  const [i, j] = diff as [number, number];
  if (diff.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i]) return 'swapped';
  return undefined;
}

/** Same domain, local parts one insertion, deletion or substitution apart. */
function oneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) return oneSlip(a, b) !== undefined;
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

const splitEmail = (e: string): [string, string] => {
  const at = e.lastIndexOf('@');
  return [e.slice(0, at), e.slice(at + 1)];
};

interface Evidence {
  score: number;
  reason: string;
}

/** Scales an identifier near-miss by how well the names agree (a missing name neither helps nor hurts much). */
const byName = (
  sim: number | undefined,
  strong: number,
  weak: number,
  none: number,
  against: number,
): number => (sim === undefined ? none : sim >= 0.9 ? strong : sim >= 0.8 ? weak : against);

function exactReasons(a: IdentityProfile, b: IdentityProfile): string[] {
  const out: string[] = [];
  if (a.phone && a.phone === b.phone) out.push(`same phone number ${a.phone}`);
  if (a.email && a.email === b.email) out.push(`same email ${a.email}`);
  if (a.loyaltyCard && a.loyaltyCard === b.loyaltyCard) out.push(`same loyalty card ${a.loyaltyCard}`);
  return out;
}

function phoneEvidence(
  a: IdentityProfile,
  b: IdentityProfile,
  sim: number | undefined,
): Evidence | undefined {
  if (!a.phone || !b.phone) return undefined;
  const slip = oneSlip(a.phone, b.phone);
  if (!slip) return undefined;
  const how = slip === 'one' ? 'differ in one digit' : 'differ by two swapped digits';
  return {
    score: byName(sim, 0.92, 0.8, 0.6, 0.3),
    reason: `phone numbers ${how} (${a.phone} / ${b.phone})`,
  };
}

function emailEvidence(
  a: IdentityProfile,
  b: IdentityProfile,
  sim: number | undefined,
): Evidence | undefined {
  if (!a.email || !b.email) return undefined;
  const [la, da] = splitEmail(a.email);
  const [lb, db] = splitEmail(b.email);
  const ga = gmailMailbox(a.email);
  if (ga && ga === gmailMailbox(b.email))
    return {
      score: byName(sim, 0.92, 0.9, 0.85, 0.5),
      reason: `one Gmail mailbox: ${a.email} and ${b.email} (Gmail ignores dots and +tags)`,
    };
  if (la === lb && la.length >= 3) {
    const [typo, meant] = intendedDomain(da) === db ? [da, db] : intendedDomain(db) === da ? [db, da] : [];
    if (typo && meant)
      return {
        score: byName(sim, 0.92, 0.9, 0.85, 0.5),
        reason: `same email name "${la}" at ${typo}, a common misspelling of ${meant}`,
      };
  }
  if (da === db && la.length >= 5 && oneEdit(la, lb)) {
    // "anna.meier84" and "anna.meier85" are usually two people who both had to number their address.
    const digitsOnly = la.replace(/\d/g, '') === lb.replace(/\d/g, '');
    return digitsOnly
      ? {
          score: byName(sim, 0.6, 0.5, 0.4, 0.3),
          reason: `emails differ in one digit (${a.email} / ${b.email})`,
        }
      : {
          score: byName(sim, 0.85, 0.72, 0.6, 0.35),
          reason: `emails differ in one letter (${a.email} / ${b.email})`,
        };
  }
  return undefined;
}

function cardEvidence(a: IdentityProfile, b: IdentityProfile, sim: number | undefined): Evidence | undefined {
  if (!a.loyaltyCard || !b.loyaltyCard || !oneSlip(a.loyaltyCard, b.loyaltyCard)) return undefined;
  return {
    score: byName(sim, 0.85, 0.72, 0.5, 0.3),
    reason: `loyalty cards differ in one character (${a.loyaltyCard} / ${b.loyaltyCard})`,
  };
}

function placeEvidence(
  a: IdentityProfile,
  b: IdentityProfile,
  sim: number | undefined,
  opts: ScoreOptions,
): Evidence | undefined {
  if (sim === undefined || sim < 0.9) return undefined;
  const samePostcode = a.postcode !== undefined && a.postcode === b.postcode;
  const sameStore = a.storeId !== undefined && a.storeId === b.storeId;
  const days =
    a.registeredAt !== undefined && b.registeredAt !== undefined
      ? Math.abs(a.registeredAt - b.registeredAt) / DAY_MS
      : undefined;
  const close = days !== undefined && days <= opts.registrationWindowDays;
  // Only the postcode is strong enough alone: at 100k profiles, namesakes registering at one store within
  // a month are common (bench/customer-identity.ts), so the store and the date only add to other evidence.
  const base = samePostcode ? (close ? 0.85 : 0.65) : sameStore ? (close ? 0.6 : 0.45) : close ? 0.35 : 0;
  if (base === 0) return undefined;
  const parts = [
    ...(samePostcode ? [`same postcode ${a.postcode}`] : []),
    ...(sameStore ? [`registered at the same store ${a.storeId}`] : []),
    ...(close ? [`registered ${Math.round(days!)} days apart`] : []),
  ];
  // A name that is only similar ("Anna"/"Ana") is weaker evidence than the same name.
  return { score: sim >= 0.98 ? base : base - 0.05, reason: parts.join(', ') };
}

function nameReason(a: IdentityProfile, b: IdentityProfile, sim: number): string {
  return a.name === b.name
    ? `same name (${a.displayName})`
    : `similar names (${a.displayName} / ${b.displayName}, ${sim.toFixed(2)})`;
}

/** Two different identifiers of one kind count against a pair, unless a slip explains the difference. */
function conflicts(a: IdentityProfile, b: IdentityProfile, explained: Set<string>): Evidence[] {
  const out: Evidence[] = [];
  if (a.phone && b.phone && a.phone !== b.phone && !explained.has('phone'))
    out.push({ score: -0.2, reason: 'but different phone numbers' });
  if (a.email && b.email && a.email !== b.email && !explained.has('email'))
    out.push({ score: -0.15, reason: 'but different emails' });
  return out;
}

/** Scores one pair of profiles; see the file comment for how. */
export function assessPair(a: IdentityProfile, b: IdentityProfile, opts: ScoreOptions): PairAssessment {
  const exact = exactReasons(a, b);
  if (exact.length > 0) return { score: 1, kind: 'exact', reasons: exact };
  const sim = a.name && b.name ? nameSimilarity(a.name, b.name) : undefined;
  const found: [string, Evidence | undefined][] = [
    ['phone', phoneEvidence(a, b, sim)],
    ['email', emailEvidence(a, b, sim)],
    ['card', cardEvidence(a, b, sim)],
    ['place', placeEvidence(a, b, sim, opts)],
  ];
  const support = found
    .filter((f): f is [string, Evidence] => f[1] !== undefined)
    .sort((x, y) => y[1].score - x[1].score);
  if (support.length === 0) return { score: 0, kind: 'probable', reasons: [] };
  const against = conflicts(a, b, new Set(support.map(([k]) => k)));
  const score = support[0]![1].score + 0.05 * (support.length - 1) + against.reduce((s, e) => s + e.score, 0);
  const reasons = [
    ...(sim !== undefined && sim >= 0.8 ? [nameReason(a, b, sim)] : []),
    ...support.map(([, e]) => e.reason),
    ...against.map((e) => e.reason),
  ];
  return { score: Math.round(Math.min(0.99, Math.max(0, score)) * 100) / 100, kind: 'probable', reasons };
}
