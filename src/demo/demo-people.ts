import type { Consents } from '../customers/index.ts';
import { addDays } from '../reports/index.ts';

/**
 * The demo's customers as people (pure, seeded): who they are, where and when they registered, what
 * they agreed to, and how they shop. Every phone is +49 30 555 0…, every email at example.com, so no
 * one mistakes them for real people. A few are registered twice (the second till did not find the
 * first record), so the duplicate review has pairs to show. Purchases are drawn in demo-visits.ts.
 */

/** How a customer shops, which is what the scoring should find again. */
export type DemoHabit = 'regular' | 'occasional' | 'lapsing' | 'one-off' | 'new';

export interface DemoPerson {
  /** Index in the plan; the seeder turns it into a customer id. */
  n: number;
  storeId: string;
  registeredOn: string;
  /** Minutes after midnight, store-local. */
  registeredAtMinute: number;
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
  cardNumber?: string | undefined;
  consents: Consents;
  habit: DemoHabit;
  /** Mean days between visits while they shop here. */
  gapDays: number;
  /** Last day they may shop (a lapsing customer stops early). */
  until: string;
  /** Set on the second record of a person registered twice: the first record's index. */
  duplicateOf?: number;
}

export interface DemoStoreOpen {
  storeId: string;
  /** First day the store traded. */
  from: string;
  /** Relative size: more customers register at a bigger store. */
  size: number;
}

const FIRST = (
  'Anna Lukas Mia Jonas Lea Felix Emma Paul Sophie Leon Marie Finn Hannah Elias Lina Noah Clara Ben ' +
  'Ida Moritz Greta Theo Frieda Jakob Mathilda Oskar Helene Karl Ella Anton Luise Emil Johanna ' +
  'Henry Paula Samuel Ronja Vincent Zoe Milan Aylin Deniz Yusuf Elif Mateo Nora'
).split(' ');
// No two surnames one letter apart in an email (Möller/Müller, Lang/Lange): those would be real namesakes
// the duplicate review lists, on top of the pairs made on purpose.
const LAST = (
  'Müller Schmidt Schneider Fischer Weber Wagner Becker Hoffmann Schäfer Koch Bauer Richter Klein ' +
  'Wolf Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange Werner Krause Lehmann Köhler ' +
  'Herrmann Walter König Kaiser Fuchs Peters Scholz Jung Hahn Vogel Friedrich Yilmaz Kaya Nowak ' +
  'Popescu Rossi Jansen'
).split(' ');

/**
 * The i-th group of `digits` digits whose weighted sum (weights 1, 2, 3, … from the right) is 0 mod 11,
 * as ISBN-10 checks: any two differ in more than one digit and are not two neighbours swapped, so only
 * the duplicates made on purpose look like a slip to the duplicate review. A group that would need a
 * check digit of 10 is skipped.
 */
export function checkedDigits(i: number, digits: number): string {
  let found = -1;
  for (let body = 0; ; body++) {
    const b = String(body).padStart(digits - 1, '0');
    const sum = [...b].reduce((s, d, k) => s + (digits - k) * Number(d), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check === 10) continue;
    found++;
    if (found === i) return `${b}${check}`;
  }
}

/** A phone in the 555 range that films and examples use: +49 30 555 0…, never a real subscriber's. */
export const demoPhone = (i: number): string => `+49 30 555 0${checkedDigits(i % 900, 4)}`;

/** A demo loyalty card number. */
export const demoCard = (i: number): string => `TD-${checkedDigits(i % 9000, 5)}`;

/** ASCII for an email's local part: Müller → mueller. */
export const emailWord = (s: string): string =>
  s
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .replace(/[^a-z0-9]/g, '');

const HABITS: readonly [DemoHabit, number][] = [
  ['regular', 0.24],
  ['occasional', 0.26],
  ['lapsing', 0.2],
  ['one-off', 0.2],
  ['new', 0.1],
];

function pickHabit(u: number): DemoHabit {
  let acc = 0;
  for (const [h, w] of HABITS) {
    acc += w;
    if (u < acc) return h;
  }
  return 'occasional';
}

const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** A store drawn by size among those trading on `day`. */
function pickStore(stores: readonly DemoStoreOpen[], day: string, u: number): DemoStoreOpen {
  const open = stores.filter((s) => s.from <= day);
  const list = open.length > 0 ? open : [stores[0]!];
  const total = list.reduce((s, x) => s + x.size, 0);
  let acc = 0;
  for (const s of list) {
    acc += s.size / total;
    if (u < acc) return s;
  }
  return list[list.length - 1]!;
}

export interface PeopleOptions {
  stores: readonly DemoStoreOpen[];
  /** The store-local date the demo starts on; nobody registers after yesterday. */
  today: string;
  count: number;
  random: () => number;
}

/** The demo's customers, the deliberate duplicates last. */
export function planDemoPeople(o: PeopleOptions): DemoPerson[] {
  const r = o.random;
  const first = o.stores.reduce((m, s) => (s.from < m ? s.from : m), o.today);
  const span = Math.max(1, daysBetween(first, o.today));
  const people: DemoPerson[] = [];
  const emails = new Set<string>();
  for (let n = 0; n < o.count; n++) {
    const habit = pickHabit(r());
    // The newest customers joined in the last six weeks; the others at any time a store was open.
    // A lapsing customer joined long enough ago to have shopped a while and stopped months back.
    const from = habit === 'lapsing' ? Math.min(160, span) : Math.min(45, span);
    const back =
      habit === 'new' ? 1 + Math.floor(r() * 42) : from + Math.floor(r() * Math.max(1, span - from));
    const registeredOn = addDays(o.today, -Math.max(1, back));
    const store = pickStore(o.stores, registeredOn, r());
    const name = `${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`;
    // Most give an email, many a phone, some both; a till needs at least one.
    const contact = r();
    let email: string | undefined;
    if (contact < 0.8) {
      const [f, l] = name.split(' ').map(emailWord) as [string, string];
      let local = `${f}.${l}`;
      for (let k = 2; emails.has(local); k++) local = `${f}.${l}${k}`;
      emails.add(local);
      email = `${local}@example.com`;
    }
    const phone = contact >= 0.55 ? demoPhone(n) : undefined;
    const cardNumber = r() < 0.35 ? demoCard(n) : undefined;
    const gapDays =
      habit === 'regular'
        ? 10 + r() * 8
        : habit === 'occasional'
          ? 28 + r() * 28
          : habit === 'lapsing'
            ? 10 + r() * 14
            : habit === 'new'
              ? 6 + r() * 9
              : 999;
    // A lapsing customer shops for two to eight months, then stops at least three months before today.
    const lapseAfter = addDays(registeredOn, 60 + Math.floor(r() * 180));
    const lastChance = addDays(o.today, -(95 + Math.floor(r() * 120)));
    const until =
      habit === 'lapsing' ? (lapseAfter < lastChance ? lapseAfter : lastChance) : addDays(o.today, -1);
    people.push({
      n,
      storeId: store.storeId,
      registeredOn,
      registeredAtMinute: 8 * 60 + Math.floor(r() * 12 * 60),
      name,
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      ...(cardNumber ? { cardNumber } : {}),
      consents: {
        marketing_email: email !== undefined && r() < 0.45,
        marketing_sms: phone !== undefined && r() < 0.25,
        analytics: r() < 0.6,
      },
      habit,
      gapDays,
      until: habit === 'lapsing' && until < registeredOn ? registeredOn : until,
    });
  }
  return [...people, ...duplicates(people, o)];
}

/**
 * Second records of a few regulars, as tills make them when a customer is not found: the same phone at
 * another store, an email with a letter wrong, a phone with a digit slipped, a surname spelled another
 * way. Each shops a little under the second record too, as such people do.
 */
function duplicates(people: readonly DemoPerson[], o: PeopleOptions): DemoPerson[] {
  const r = o.random;
  const candidates = people.filter(
    (p) => (p.habit === 'regular' || p.habit === 'occasional') && p.phone && p.email,
  );
  const out: DemoPerson[] = [];
  const make = (p: DemoPerson, change: Partial<DemoPerson>): void => {
    const registeredOn = addDays(p.registeredOn, 10 + Math.floor(r() * 120));
    if (registeredOn >= o.today) return;
    const others = o.stores.filter((s) => s.storeId !== p.storeId && s.from <= registeredOn);
    out.push({
      ...p,
      n: people.length + out.length,
      duplicateOf: p.n,
      storeId: change.storeId ?? others[0]?.storeId ?? p.storeId,
      registeredOn,
      habit: 'occasional',
      gapDays: 40 + r() * 30,
      consents: { marketing_email: false, marketing_sms: false, analytics: r() < 0.5 },
      ...change,
    });
  };
  const pick = (k: number): DemoPerson | undefined => candidates[Math.floor((k / 7) * candidates.length)];
  const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(pick);
  // Same phone, no email this time: the till could not reach HQ and registered them again.
  if (a?.phone) make(a, { email: undefined, cardNumber: undefined });
  if (b?.phone)
    make(b, { email: undefined, cardNumber: undefined, name: b.name.split(' ').reverse().join(' ') });
  // One letter wrong in the email, no phone given.
  if (c?.email) {
    const [local, domain] = c.email.split('@') as [string, string];
    make(c, {
      phone: undefined,
      cardNumber: undefined,
      email: `${local.slice(0, -1)}${local.at(-1) === 'e' ? 'r' : 'e'}@${domain}`,
    });
  }
  // A phone number with its last two digits swapped, same name.
  if (d?.phone) {
    const p = d.phone;
    make(d, { email: undefined, cardNumber: undefined, phone: `${p.slice(0, -2)}${p.at(-1)}${p.at(-2)}` });
  }
  // The surname spelled another way, same email name at the same domain with one letter off.
  if (e?.email) {
    const [fn, ln] = e.name.split(' ') as [string, string];
    const respelled = ln.endsWith('er') ? `${ln.slice(0, -2)}a` : `${ln}e`;
    const [local, domain] = e.email.split('@') as [string, string];
    make(e, {
      name: `${fn} ${respelled}`,
      phone: undefined,
      cardNumber: undefined,
      email: `${local}s@${domain}`,
    });
  }
  // Same phone again, registered at the same store a few weeks later.
  if (f?.phone) make(f, { email: undefined, cardNumber: undefined, storeId: f.storeId });
  return out;
}
