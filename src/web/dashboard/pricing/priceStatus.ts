import { storeFormat } from '../../../contracts/index.ts';
import type { PriceEntry } from './pricingApi.ts';

/**
 * How the pricebook reads to a person: each entry in force, scheduled, superseded or past, grouped by
 * the chain, each zone and each store. The rule is the pricebook's (src/catalog/pricebook.ts): within
 * one scope the entry that started last wins, then the one recorded last.
 */
export type EntryStatus = 'in force' | 'scheduled' | 'superseded' | 'past';

export interface ScopedEntries {
  scope: PriceEntry['scope'];
  scopeId: string;
  entries: { entry: PriceEntry; status: EntryStatus }[];
}

const t = (iso: string): number => Date.parse(iso);
const covers = (e: PriceEntry, now: number): boolean =>
  t(e.effectiveFrom) <= now && (e.effectiveTo == null || now < t(e.effectiveTo));
const beats = (a: PriceEntry, b: PriceEntry): boolean =>
  t(a.effectiveFrom) !== t(b.effectiveFrom) ? t(a.effectiveFrom) > t(b.effectiveFrom) : a.id > b.id;

const RANK = { chain: 0, zone: 1, store: 2 } as const;

export function groupEntries(entries: readonly PriceEntry[], now: Date): ScopedEntries[] {
  const at = now.getTime();
  const groups = new Map<string, PriceEntry[]>();
  for (const e of entries) {
    const key = `${e.scope}\u0000${e.scopeId}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()]
    .map((list) => {
      const winner = list
        .filter((e) => covers(e, at))
        .reduce<PriceEntry | undefined>((best, e) => (!best || beats(e, best) ? e : best), undefined);
      const status = (e: PriceEntry): EntryStatus =>
        e === winner
          ? 'in force'
          : t(e.effectiveFrom) > at
            ? 'scheduled'
            : covers(e, at)
              ? 'superseded'
              : 'past';
      const first = list[0] as PriceEntry;
      return {
        scope: first.scope,
        scopeId: first.scopeId,
        // Newest start first: what applies next reads above what applied before.
        entries: [...list]
          .sort((a, b) => (beats(a, b) ? -1 : 1))
          .map((entry) => ({ entry, status: status(entry) })),
      };
    })
    .sort((a, b) => RANK[a.scope] - RANK[b.scope] || a.scopeId.localeCompare(b.scopeId));
}

/** The offset (ms) of a time zone from UTC at an instant: +3 600 000 for Berlin in winter. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - instant;
}

/**
 * A wall time typed for a place ("2026-12-01T09:00" in Europe/Berlin) as the instant HQ stores, with
 * its offset. Undefined when the text is no date-time. A time skipped by a clock change reads as the
 * hour after, as clocks on the wall do.
 */
export function wallTimeToInstant(local: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(wall)) return undefined;
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant).toISOString();
}

/** An instant as the place's people write it ("01.12.2026, 09:00" in Berlin's de-DE). */
export function formatInstant(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  if (Number.isNaN(new Date(iso).getTime())) return iso;
  return storeFormat({ locale, timeZone: timeZone ?? userZone() }).dateTime(iso);
}

/** The browser's own zone and locale, for chain-wide and zone-wide items. */
export const userZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
export const userLocale = (): string => (typeof navigator === 'undefined' ? 'en-GB' : navigator.language);
