/**
 * Email domains as they are mistyped at a counter. A profile with "ana.lima@gmial.com" next to one with
 * "ana.lima@gmail.com" is very probably one customer whose first address never received anything.
 */

/** Big providers' domains, which a one-letter slip of another domain is most likely aiming at. */
export const COMMON_EMAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'aol.com',
  'gmx.de',
  'gmx.ch',
  'gmx.net',
  'web.de',
  't-online.de',
  'bluewin.ch',
  'orange.fr',
  'free.fr',
  'hotmail.co.uk',
  'btinternet.com',
  'yahoo.co.uk',
];

/** Misspellings seen often enough to name outright (more than one letter away, or ambiguous otherwise). */
const KNOWN_TYPOS: Record<string, string> = {
  'gmial.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'gmaill.com': 'gmail.com',
  'gamil.com': 'gmail.com',
  'gnail.com': 'gmail.com',
  'gmail.co': 'gmail.com',
  'gmail.con': 'gmail.com',
  'gmail.cm': 'gmail.com',
  'gmal.com': 'gmail.com',
  'gmail.de': 'gmail.com',
  'gmail.ch': 'gmail.com',
  'hotmial.com': 'hotmail.com',
  'hotmal.com': 'hotmail.com',
  'hotmail.co': 'hotmail.com',
  'hotmai.com': 'hotmail.com',
  'yaho.com': 'yahoo.com',
  'yahooo.com': 'yahoo.com',
  'outlok.com': 'outlook.com',
  'iclod.com': 'icloud.com',
  'icloud.co': 'icloud.com',
  'gmx.de.de': 'gmx.de',
  'web.de.de': 'web.de',
  'bluewin.com': 'bluewin.ch',
};

/** Levenshtein distance capped at 2 (enough to tell "one slip" from "different"). */
export function editDistanceUpTo2(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > 2) return 3;
    prev = row;
  }
  return Math.min(prev[b.length]!, 3);
}

/** The provider a domain probably meant, when it is a known or one-letter slip of a common one. */
export function intendedDomain(domain: string): string | undefined {
  const known = KNOWN_TYPOS[domain];
  if (known) return known;
  if (COMMON_EMAIL_DOMAINS.includes(domain)) return undefined;
  // A chain has few distinct domains and the finder asks about each many times.
  if (intended.has(domain)) return intended.get(domain);
  if (intended.size > 100_000) intended.clear();
  const found = COMMON_EMAIL_DOMAINS.find((d) => editDistanceUpTo2(d, domain) === 1);
  intended.set(domain, found);
  return found;
}

const intended = new Map<string, string | undefined>();

/** Gmail delivers "a.na+x@gmail.com" to "ana@gmail.com": the mailbox behind an address, for Gmail only. */
export function gmailMailbox(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return undefined;
  return `${email.slice(0, at).split('+')[0]!.replace(/\./g, '')}@gmail.com`;
}
