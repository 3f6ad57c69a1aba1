import type { ConsentPurpose } from '../customers/index.ts';
import { addDays } from '../reports/index.ts';
import type { DemoPerson, DemoStoreOpen } from './demo-people.ts';
import { dayFactor } from './demo-sales.ts';

/**
 * What the demo's customers bought and when (pure, seeded): each shops at their own store mostly, at
 * their habit's pace (demo-people.ts), from a few favourite products in two categories and now and then
 * something else, never on a day the stores are shut. A few change a consent at a later visit.
 */

export interface DemoVisitLine {
  sku: string;
  qty: number;
}

export interface DemoVisit {
  /** The person's index (DemoPerson.n). */
  n: number;
  storeId: string;
  date: string;
  /** Minutes after midnight, store-local. */
  minute: number;
  lines: DemoVisitLine[];
}

export interface DemoConsentChange {
  n: number;
  storeId: string;
  date: string;
  minute: number;
  purpose: ConsentPurpose;
  granted: boolean;
}

export interface VisitProduct {
  sku: string;
  category: string;
}

export interface VisitOptions {
  people: readonly DemoPerson[];
  stores: readonly DemoStoreOpen[];
  products: readonly VisitProduct[];
  today: string;
  random: () => number;
}

const open = (date: string, today: string): boolean => dayFactor('', date, today) > 0;

/** The next day the stores trade, `date` itself if they do. */
function tradingDay(date: string, today: string): string {
  let d = date;
  while (!open(d, today)) d = addDays(d, 1);
  return d;
}

function favourites(products: readonly VisitProduct[], r: () => number): VisitProduct[] {
  const categories = [...new Set(products.map((p) => p.category))];
  const liked = [0, 1].map(() => categories[Math.floor(r() * categories.length)]!);
  const inLiked = products.filter((p) => liked.includes(p.category));
  const out = new Map<string, VisitProduct>();
  for (let k = 0; k < 6 && inLiked.length > 0; k++) {
    const p = inLiked[Math.floor(r() * inLiked.length)]!;
    out.set(p.sku, p);
  }
  for (let k = 0; k < 2; k++) {
    const p = products[Math.floor(r() * products.length)]!;
    out.set(p.sku, p);
  }
  return [...out.values()];
}

function basket(
  fav: readonly VisitProduct[],
  all: readonly VisitProduct[],
  r: () => number,
): DemoVisitLine[] {
  // One to five lines, most baskets small; mostly the usual things.
  const count = 1 + Math.floor(r() * r() * 5);
  const lines = new Map<string, number>();
  for (let k = 0; k < count; k++) {
    const from = r() < 0.8 ? fav : all;
    const p = from[Math.floor(r() * from.length)]!;
    const u = r();
    lines.set(p.sku, u < 0.75 ? 1 : u < 0.95 ? 2 : 3);
  }
  return [...lines].map(([sku, qty]) => ({ sku, qty }));
}

function visitDays(p: DemoPerson, today: string, r: () => number): string[] {
  const first = tradingDay(p.registeredOn, today);
  if (first >= today) return [];
  const days = [first];
  if (p.habit === 'one-off') {
    // A third come back once within three weeks, then never again.
    if (r() < 0.3) {
      const again = tradingDay(addDays(first, 3 + Math.floor(r() * 18)), today);
      if (again < today) days.push(again);
    }
    return days;
  }
  let d = first;
  for (;;) {
    const gap = Math.max(1, Math.round(p.gapDays * (0.4 + 1.2 * r())));
    d = tradingDay(addDays(d, gap), today);
    if (d > p.until || d >= today) return days;
    days.push(d);
  }
}

function storeOf(p: DemoPerson, stores: readonly DemoStoreOpen[], date: string, r: () => number): string {
  if (r() < 0.88) return p.storeId;
  const others = stores.filter((s) => s.storeId !== p.storeId && s.from <= date);
  return others.length > 0 ? others[Math.floor(r() * others.length)]!.storeId : p.storeId;
}

const PURPOSES: readonly ConsentPurpose[] = ['marketing_email', 'marketing_sms', 'analytics'];

/** Every purchase of every person, in no particular order; the seeder sorts by till and time. */
export function planDemoVisits(o: VisitOptions): { visits: DemoVisit[]; consents: DemoConsentChange[] } {
  const r = o.random;
  const visits: DemoVisit[] = [];
  const consents: DemoConsentChange[] = [];
  for (const p of o.people) {
    const fav = favourites(o.products, r);
    const days = visitDays(p, o.today, r);
    days.forEach((date, i) => {
      // The first visit is the one they registered at, after registering.
      const minute = i === 0 ? p.registeredAtMinute + 2 : 8 * 60 + Math.floor(r() * 12 * 60);
      const storeId = i === 0 ? p.storeId : storeOf(p, o.stores, date, r);
      visits.push({ n: p.n, storeId, date, minute, lines: basket(fav, o.products, r) });
    });
    // One in seven changes their mind about one purpose at a later visit.
    if (days.length >= 3 && r() < 1 / 7) {
      const date = days[1 + Math.floor(r() * (days.length - 1))]!;
      // Only purposes they could be reached for: no SMS consent without a phone.
      const purposes = PURPOSES.filter(
        (x) => (x !== 'marketing_sms' || p.phone) && (x !== 'marketing_email' || p.email),
      );
      const purpose = purposes[Math.floor(r() * purposes.length)]!;
      consents.push({
        n: p.n,
        storeId: p.storeId,
        date,
        minute: 8 * 60 + Math.floor(r() * 12 * 60),
        purpose,
        granted: !p.consents[purpose],
      });
    }
  }
  return { visits, consents };
}
