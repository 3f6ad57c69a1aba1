import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownEventTypes, sampleEvents, unknownTypeEvent } from '../../../test/fixtures/event-samples.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { findCardData, findCardNumbers, redactCardData } from '../../core/card-data.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { defaultShopLimits } from '../../core/limits.ts';
import { checkEvent } from './event-checks.ts';
import { defaultEventRules, type EventRules } from './event-rules-config.ts';

const NOW = new Date('2026-12-02T12:00:00Z');
const rules = defaultEventRules();
const check = (e: EventEnvelope, r: EventRules = rules) =>
  checkEvent(e, { registry: hqEventRegistry, now: NOW, rules: r });

type Path = (string | number)[];
/** Every leaf of a payload with its path, so a test can attack each field of each event type. */
function leaves(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}
function withLeaf(e: EventEnvelope, path: Path, value: unknown): EventEnvelope {
  const payload = structuredClone(e.payload) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = payload;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return { ...e, payload };
}
const samples = sampleEvents(NOW);
const fields = (kind: 'string' | 'number') =>
  samples.flatMap((e) =>
    leaves(e.payload)
      .filter((l) => typeof l.value === kind)
      .map((l) => ({ e, path: l.path })),
  );

describe('what HQ lets into its event log', () => {
  it('every event type HQ knows has a sample, and every sample passes as the till wrote it', () => {
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(knownEventTypes()));
    for (const e of samples) expect(check(e), e.type).toMatchObject({ ok: true });
  });

  it('keeps only what the schema names: extra keys at any depth are not stored', () => {
    for (const e of samples) {
      const padded = { ...e, payload: { ...structuredClone(e.payload), note2: 'extra', debug: { a: 1 } } };
      const lines = (padded.payload as { lines?: Record<string, unknown>[] }).lines;
      if (lines?.[0]) lines[0].extraField = 'x';
      const r = check(padded);
      expect(r.ok, e.type).toBe(true);
      if (!r.ok) continue;
      expect(r.event.payload).not.toHaveProperty('debug');
      expect(r.event.payload).not.toHaveProperty('note2');
      const line = (r.event.payload as { lines?: object[] }).lines?.[0];
      if (line) expect(line).not.toHaveProperty('extraField');
    }
  });
});

describe('text HQ cannot store is quarantined, in every text field of every event type', () => {
  const hostile = ['Ann\u0000Lee', 'bad \ud800 half', 'bell\u0007', 'x'.repeat(2_001)];
  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 20), h]))('%s', (_, bad) => {
    const all = fields('string');
    expect(all.length).toBeGreaterThan(100);
    for (const { e, path } of all) {
      const r = check(withLeaf(e, path, bad));
      expect(r.ok, `${e.type} ${path.join('.')}`).toBe(false);
    }
  });

  it('an event type HQ does not know passes only with storable text, in values and in key names', () => {
    expect(check(unknownTypeEvent({ points: 10, note: 'double points day' }, NOW)).ok).toBe(true);
    expect(check(unknownTypeEvent({ note: 'a\u0000b' }, NOW))).toMatchObject({
      ok: false,
      field: 'payload.note',
    });
    expect(check(unknownTypeEvent({ deep: [{ 'k\u0000': 1 }] }, NOW)).ok).toBe(false);
    let nested: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) nested = { nested };
    expect(check(unknownTypeEvent(nested, NOW))).toMatchObject({ ok: false });
    // Deep enough to overflow any recursive walk: refused all the same.
    let abyss: unknown = [];
    for (let i = 0; i < 200_000; i++) abyss = [abyss];
    expect(check(unknownTypeEvent({ abyss }, NOW))).toMatchObject({ ok: false, field: 'payload' });
  });
});

describe('numbers beyond what a shop can do are quarantined, in every field of every event type', () => {
  const limits = defaultShopLimits();
  const hostileNumber = fc.oneof(
    fc.constantFrom(2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, -1, 0, 0.5, 1e-7, limits.maxAmountMinor + 1),
    fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom('NaN', '1e309', 'Infinity', '12', '', null, true),
  );
  const numbers = fields('number');

  it('either refused, or every number stored is a whole amount within the limits and the sale adds up', () => {
    expect(numbers.length).toBeGreaterThan(60);
    fc.assert(
      fc.property(fc.constantFrom(...numbers), hostileNumber, ({ e, path }, n) => {
        const r = check(withLeaf(e, path, n));
        if (!r.ok) return;
        for (const leaf of leaves(r.event.payload))
          if (typeof leaf.value === 'number') {
            expect(Number.isSafeInteger(leaf.value), leaf.path.join('.')).toBe(true);
            expect(Math.abs(leaf.value)).toBeLessThanOrEqual(limits.maxAmountMinor);
          }
        const p = r.event.payload as { lines?: { qty?: number }[] };
        if (e.type.startsWith('sale.'))
          for (const l of p.lines ?? []) expect(l.qty ?? 0).toBeLessThanOrEqual(limits.maxLineQty);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a line of 2^53 − 1 units is refused, naming the field and the limit', () => {
    const sale = samples[0]!;
    expect(check(withLeaf(sale, ['lines', 0, 'qty'], 2 ** 53 - 1))).toMatchObject({
      ok: false,
      field: 'payload.lines.0.qty',
      reason: expect.stringMatching(/maxLineQty/),
    });
  });

  it('a chain that sells by the tonne raises its limits in the config', () => {
    const stock = samples.find((e) => e.type === 'stock.received')!;
    const big = withLeaf(stock, ['qty'], 5_000_000);
    expect(check(big).ok).toBe(false);
    expect(check(big, { ...rules, limits: { ...rules.limits, maxStockQty: 10_000_000 } }).ok).toBe(true);
  });
});

describe('card data never enters the log', () => {
  const pan = '4111111111111111';
  const shapes: [string, (e: EventEnvelope) => EventEnvelope][] = [
    ['a pan field', (e) => ({ ...e, payload: { ...e.payload, pan } })],
    ['track 2 data', (e) => ({ ...e, payload: { ...e.payload, track2: `;${pan}=25121010000000000000?` } })],
    ['a cvv', (e) => ({ ...e, payload: { ...e.payload, cvv: '123' } })],
    [
      'a card number with spaces',
      (e) => ({ ...e, payload: { ...e.payload, card_number: '4111 1111 1111 1111' } }),
    ],
    [
      'expiry and number nested',
      (e) => ({ ...e, payload: { ...e.payload, card: { expiryDate: '12/29', no: pan } } }),
    ],
    ['a PAN as a JSON number', (e) => ({ ...e, payload: { ...e.payload, ref: 4111111111111111 } })],
    ['a PAN in free text', (e) => ({ ...e, payload: { ...e.payload, memo: `declined card ${pan} twice` } })],
    ['a Mastercard in a dashed form', (e) => ({ ...e, payload: { ...e.payload, x: '5555-5555-5555-4444' } })],
  ];
  const targets = [...samples, unknownTypeEvent({ points: 5 }, NOW)];

  it.each(shapes)('%s is refused in every event type, known or not', (_, add) => {
    for (const e of targets) {
      const bad = add(e);
      const r = check(bad);
      expect(r.ok, e.type).toBe(false);
      expect(findCardData(redactCardData(bad.payload))).toBeUndefined();
    }
  });

  it('a card tender carrying the card itself is refused, wherever in the sale it hides', () => {
    const sale = samples[0]!;
    for (const [k, v] of [
      ['pan', pan],
      ['cvc', '999'],
      ['track1', `%B${pan}^LEE/ANN^2512101?`],
    ] as const) {
      const r = check(withLeaf(sale, ['tenders', 0, k], v));
      expect(r).toMatchObject({ ok: false, field: `payload.tenders.0.${k}` });
    }
    expect(check(withLeaf(sale, ['lines', 0, 'name'], `Gift ${pan}`)).ok).toBe(false);
  });

  it('masked numbers, tokens, phone numbers, hashes and ids are not card data', () => {
    for (const e of samples) expect(findCardData(e.payload), e.type).toBeUndefined();
    expect(findCardData({ phone: '+4111111111111111' })).toBeUndefined();
    // A customer's phone typed without '+' may pass Luhn by chance; it is still a phone number.
    expect(findCardNumbers('4915112345678')).toHaveLength(1);
    expect(findCardData({ phone: '4915112345678' })).toBeUndefined();
    expect(findCardData({ phone: '4111 1111 1111 1111' })).toBeDefined();
    expect(findCardData({ at: 1796212345678, ratio: 0.4111111111111111 })).toBeUndefined();
    expect(findCardData({ id: '0195a000-0000-7000-8000-411111111111', h: `ab${pan}cd` })).toBeUndefined();
  });

  it('the redacted copy keeps the last four digits and drops card fields', () => {
    expect(redactCardData({ pan, memo: `card ${pan} declined`, n: 4111111111111111, ok: 'x' })).toEqual({
      memo: 'card ************1111 declined',
      n: '************1111',
      ok: 'x',
    });
  });
});

describe('money documents that do not add up are quarantined', () => {
  const sale = samples.find((e) => e.type === 'sale.completed')!;
  const ret = samples.find((e) => e.type === 'sale.returned')!;
  const voided = samples.find((e) => e.type === 'sale.voided')!;
  const giftCard = samples.find((e) => e.type === 'giftcard.issued')!;
  const line0 = (sale.payload as { lines: { grossMinor: number; netMinor: number; qty: number }[] })
    .lines[0]!;

  it.each([
    [
      'a line whose gross is not net plus tax',
      withLeaf(sale, ['lines', 0, 'grossMinor'], line0.grossMinor + 1),
      'payload.lines.0.grossMinor',
    ],
    [
      'a line priced at other than qty × unit price',
      withLeaf(
        withLeaf(withLeaf(sale, ['lines', 0, 'qty'], 5), ['lines', 0, 'grossMinor'], line0.grossMinor),
        ['lines', 0, 'netMinor'],
        line0.netMinor,
      ),
      'payload.lines.0.grossMinor',
    ],
    ['a total that is not the sum of the lines', withLeaf(sale, ['netMinor'], 1), 'payload.netMinor'],
    [
      'tenders that do not pay the total',
      withLeaf(sale, ['tenders', 0, 'amountMinor'], 100),
      'payload.tenders',
    ],
    [
      'change that is not tendered minus kept',
      withLeaf(sale, ['tenders', 1, 'changeMinor'], 0),
      'payload.tenders.1.changeMinor',
    ],
    [
      'a return whose totals are not its lines',
      withLeaf(ret, ['totals', 'grossMinor'], 1),
      'payload.totals.grossMinor',
    ],
    [
      'a return refunding more than it took back',
      withLeaf(ret, ['refunds', 0, 'amountMinor'], 100_000),
      'payload.refunds',
    ],
    ['a void whose lines are not its total', withLeaf(voided, ['grossMinor'], 1), 'payload.grossMinor'],
    [
      'a gift card paid for with less than its value',
      withLeaf(giftCard, ['tenders', 0, 'amountMinor'], 1),
      'payload.tenders.0.changeMinor',
    ],
  ])('%s', (_, e, field) => {
    expect(check(e)).toMatchObject({ ok: false, field });
  });

  it('a sale with cash rounding to 5 rappen passes, and rounding without cash does not', () => {
    const chf = structuredClone(sale);
    const p = chf.payload as {
      grossMinor: number;
      roundingMinor?: number;
      tenders: Record<string, unknown>[];
    };
    const cashDue = p.grossMinor - 300;
    const rounded = Math.round(cashDue / 5) * 5;
    p.roundingMinor = rounded - cashDue;
    p.tenders[1] = { kind: 'cash', amountMinor: rounded, tenderedMinor: 2_000, changeMinor: 2_000 - rounded };
    expect(check(chf).ok).toBe(true);
    p.tenders = [{ ...p.tenders[0], amountMinor: p.grossMinor }];
    if (p.roundingMinor === 0) p.roundingMinor = 1;
    expect(check(chf)).toMatchObject({ ok: false, field: 'payload.roundingMinor' });
  });
});

describe('business dates that cannot be right are quarantined', () => {
  const sale = samples[0]!;
  const dated = (businessDate: string, occurredAt = `${businessDate}T10:00:00.000Z`) => ({
    ...sale,
    businessDate,
    occurredAt,
  });

  it('a till offline for three weeks is normal', () => {
    expect(check(dated('2026-11-11')).ok).toBe(true);
  });

  it.each([
    ['a till whose clock fell back to 1970', dated('1970-01-01'), 'businessDate'],
    ['a date in 2090', dated('2090-06-01'), 'businessDate'],
    [
      'a business date far from when it happened',
      dated('2026-11-30', '2026-11-01T10:00:00.000Z'),
      'occurredAt',
    ],
  ])('%s', (_, e, field) => {
    expect(check(e)).toMatchObject({ ok: false, field });
  });

  it("HQ's own back-dated imports keep their dates", () => {
    const stock = samples.find((e) => e.type === 'stock.received')!;
    expect(
      check({ ...stock, terminalId: 'hq', businessDate: '2011-03-01', occurredAt: '2011-03-01T00:00:00Z' })
        .ok,
    ).toBe(true);
  });
});
