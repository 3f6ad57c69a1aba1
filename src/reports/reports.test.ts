import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleEvent } from '../../test/fixtures/ingest.ts';
import type { AtRiskRow } from '../contracts/dashboard.ts';
import { briefingText, pickActions } from './briefing.ts';
import { numbersIn, rephraseBriefing, rephrasingIsFaithful } from './briefing-llm.ts';
import { shapeDrill } from './drill.ts';
import { bandHalfWidth, seriesFor, trustText } from './forecast.ts';
import { localHour, salesHourlyDeltas } from './hourly-projection.ts';
import { type StockFact, shapeInventory } from './inventory.ts';
import { compareDates, type HourRow, minutesIntoDay, shapePace, shareBefore } from './pace.ts';
import type { ScopeStore } from './scope.ts';
import { shapeTills } from './tills.ts';

const risk = (sku: string, available: number, forecast7d: number): AtRiskRow => ({
  storeId: 'S001',
  sku,
  name: `Item ${sku}`,
  available,
  forecast7d,
  daysOfCover: Math.round((available / (forecast7d / 7)) * 10) / 10,
});

describe('pace', () => {
  it('compares with the same weekday a week and 52 weeks before', () => {
    expect(compareDates('2026-03-04')).toEqual({ lastWeek: '2026-02-25', lastYear: '2025-03-05' });
  });

  it('totals are the sums of the hours, basket is revenue per transaction, margin only where cost is known', () => {
    const p = shapePace('2026-03-04', [
      {
        business_date: '2026-03-04',
        store_id: 'S001',
        hour: 9,
        transactions: 2,
        units: 5,
        net_minor: 1000,
        cost_minor: 300,
        costed_net_minor: 500,
      },
      {
        business_date: '2026-03-04',
        store_id: 'S001',
        hour: 17,
        transactions: 3,
        units: 4,
        net_minor: 2000,
        cost_minor: 1200,
        costed_net_minor: 2000,
      },
      {
        business_date: '2026-02-25',
        store_id: 'S001',
        hour: 9,
        transactions: 1,
        units: 1,
        net_minor: 99,
        cost_minor: 0,
        costed_net_minor: 0,
      },
      {
        business_date: '2026-01-01',
        store_id: 'S001',
        hour: 9,
        transactions: 9,
        units: 9,
        net_minor: 9,
        cost_minor: 0,
        costed_net_minor: 0,
      },
    ]);
    expect(p.hours).toHaveLength(24);
    expect(p.totals.today).toEqual({
      revenueMinor: 3000,
      units: 9,
      transactions: 5,
      avgBasketMinor: 600,
      marginMinor: 1000,
    });
    expect(p.totals.lastWeek.revenueMinor).toBe(99);
    expect(p.totals.lastYear.transactions).toBe(0);
    expect(p.hours[17]?.today.units).toBe(4);
  });

  const hourRow = (business_date: string, hour: number, transactions: number, net: number): HourRow => ({
    business_date,
    store_id: 'S001',
    hour,
    transactions,
    units: transactions * 2,
    net_minor: net,
    cost_minor: 0,
    costed_net_minor: 0,
  });

  it('at 06:00 sets today so far against last Tuesday up to 06:00, not against its whole day', () => {
    // Tuesday 2026-03-03: an early rush ahead of last week's early hours; last week's day ran until 20:00.
    const rows = [
      hourRow('2026-03-03', 5, 10, 5_000),
      hourRow('2026-02-24', 5, 8, 4_000),
      ...Array.from({ length: 14 }, (_, i) => hourRow('2026-02-24', 7 + i, 30, 14_300)),
    ];
    const p = shapePace('2026-03-03', rows, () => 6 * 60, 6 * 60);
    expect(p.compare.through).toBe('06:00');
    expect(p.totals.today.revenueMinor).toBe(5_000);
    expect(p.totals.lastWeek).toMatchObject({ revenueMinor: 4_000, transactions: 8, units: 16 });
    // The whole day is kept beside it: what the old tile compared with (5 000 against 204 200: −98 %).
    expect(p.wholeDay.lastWeek.revenueMinor).toBe(204_200);
    expect(Math.round((p.totals.today.revenueMinor / p.totals.lastWeek.revenueMinor - 1) * 100)).toBe(25);
    // The chart still draws last week's whole day hour by hour.
    expect(p.hours[12]?.lastWeek.revenueMinor).toBe(14_300);
  });

  it('counts the hour in progress pro rata and compares whole days once the day is over', () => {
    const rows = [hourRow('2026-02-24', 5, 8, 4_000), hourRow('2026-02-24', 6, 6, 3_000)];
    expect(shapePace('2026-03-03', rows, () => 6 * 60 + 30, 390).totals.lastWeek).toMatchObject({
      revenueMinor: 5_500,
      transactions: 11,
    });
    const past = shapePace('2026-03-03', rows);
    expect(past.compare.through).toBeNull();
    expect(past.totals.lastWeek.revenueMinor).toBe(7_000);
  });

  it('cuts each store at its own local time', () => {
    // 05:00 UTC is 06:00 in Berlin and 05:00 in London on a March day without daylight saving.
    const now = new Date('2026-03-03T05:00:00Z');
    expect(minutesIntoDay('2026-03-03', now, 'Europe/Berlin')).toBe(360);
    expect(minutesIntoDay('2026-03-03', now, 'Europe/London')).toBe(300);
    expect(minutesIntoDay('2026-03-02', now, 'Europe/Berlin')).toBeNull();
  });

  it('never counts more of an earlier day than its whole, and more the later the cut-off', () => {
    const row = fc.record({
      business_date: fc.constantFrom('2026-03-03', '2026-02-24', '2025-03-04'),
      store_id: fc.constantFrom('S001', 'S002'),
      hour: fc.integer({ min: 0, max: 23 }),
      transactions: fc.integer({ min: 0, max: 500 }),
      units: fc.integer({ min: 0, max: 5_000 }),
      net_minor: fc.integer({ min: 0, max: 10_000_000 }),
      cost_minor: fc.constant(0),
      costed_net_minor: fc.constant(0),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.integer({ min: 0, max: 1_439 }),
        fc.integer({ min: 0, max: 1_439 }),
        (rows, a, b) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          const at = (cut: number) => shapePace('2026-03-03', rows, () => cut, cut).totals.lastWeek;
          const whole = shapePace('2026-03-03', rows).totals.lastWeek;
          expect(at(early).revenueMinor).toBeLessThanOrEqual(at(late).revenueMinor);
          expect(at(late).revenueMinor).toBeLessThanOrEqual(whole.revenueMinor);
          expect(shareBefore(23, 1_440)).toBe(1);
        },
      ),
    );
  });
});

describe('sales by hour', () => {
  it('counts sales in the store-local hour and nets returns, with cost where the catalog knows it', () => {
    const t = { terminalId: 'T1', storeId: 'S001' };
    // 08:30 UTC is 09:30 in Berlin in winter.
    const a = saleEvent(t, 1, [{ sku: 'A', qty: 2, unitPriceMinor: 119, taxRateBp: 1900 }], {
      occurredAt: '2026-01-10T08:30:00.000Z',
      businessDate: '2026-01-10',
    });
    const b = saleEvent(t, 2, [{ sku: 'B', qty: 1, unitPriceMinor: 107, taxRateBp: 700 }], {
      occurredAt: '2026-01-10T08:59:00.000Z',
      businessDate: '2026-01-10',
    });
    const rows = salesHourlyDeltas(
      [a, b],
      () => 'Europe/Berlin',
      (sku) => (sku === 'A' ? 60 : null),
    );
    expect(rows).toEqual([
      {
        businessDate: '2026-01-10',
        storeId: 'S001',
        hour: 9,
        transactions: 2,
        units: 3,
        netMinor: 200 + 100,
        grossMinor: 238 + 107,
        costMinor: 120,
        costedNetMinor: 200,
      },
    ]);
  });
});

describe('sales by hour with an absurd catalog cost', () => {
  it('leaves the lines uncosted instead of storing a cost nobody can read back', () => {
    const t = { terminalId: 'T1', storeId: 'S001' };
    const sale = saleEvent(t, 1, [{ sku: 'A', qty: 3, unitPriceMinor: 119, taxRateBp: 1900 }], {
      occurredAt: '2026-01-10T08:30:00.000Z',
      businessDate: '2026-01-10',
    });
    const [row] = salesHourlyDeltas(
      [sale],
      () => 'UTC',
      () => Number.MAX_SAFE_INTEGER,
    );
    expect(row).toMatchObject({ units: 3, costMinor: 0, costedNetMinor: 0 });
  });
});

describe('local hour', () => {
  it('follows the store zone across daylight saving and survives bad input', () => {
    expect(localHour('2026-01-10T08:30:00.000Z', 'Europe/Berlin')).toBe(9);
    expect(localHour('2026-07-10T08:30:00.000Z', 'Europe/Berlin')).toBe(10);
    expect(localHour('2026-07-10T23:30:00.000Z', 'America/New_York')).toBe(19);
    expect(localHour('2026-07-10T08:30:00.000Z', 'Not/AZone')).toBe(8);
    expect(localHour('yesterday', 'Europe/Berlin')).toBe(0);
  });
});

describe('inventory rules', () => {
  const fact = (sku: string, onHand: number, cost: number | null = 100): StockFact => ({
    storeId: 'S001',
    sku,
    name: sku,
    onHand,
    reserved: 0,
    unitCostMinor: cost,
    negativeSince: null,
  });
  it('sorts stock-out risk by shortfall and puts each item in one list only', () => {
    const shaped = shapeInventory(
      [
        fact('low', 2),
        fact('lower', 1),
        fact('dead', 10),
        fact('slow', 100),
        fact('neg', -3),
        fact('fine', 20),
        fact('resting', 5),
      ],
      new Map([
        ['S001|slow', { units28d: 28, lastSoldOn: '2026-03-01' }],
        ['S001|fine', { units28d: 56, lastSoldOn: '2026-03-01' }],
        ['S001|low', { units28d: 40, lastSoldOn: '2026-03-01' }],
        ['S001|lower', { units28d: 40, lastSoldOn: '2026-03-01' }],
        ['S001|dead', { units28d: 0, lastSoldOn: '2025-11-30' }],
        ['S001|resting', { units28d: 0, lastSoldOn: '2026-01-20' }],
      ]),
      new Map([
        ['S001|low', 30],
        ['S001|lower', 10],
        ['S001|fine', 14],
      ]),
      '2026-03-04',
    );
    expect(shaped.atRisk.map((r) => r.sku)).toEqual(['low', 'lower']);
    expect(shaped.deadStock.map((r) => r.sku)).toEqual(['dead']);
    expect(shaped.slowMovers.map((r) => [r.sku, r.daysOfCover])).toEqual([
      ['slow', 100],
      ['resting', null],
    ]);
    expect(shaped.negative.map((r) => r.sku)).toEqual(['neg']);
    expect(shaped.valueAtCostMinor).toBe((2 + 1 + 10 + 100 + 20 + 5) * 100);
    expect(shaped.counts.slowMovers).toEqual({ total: 2, truncated: false });
  });

  it('says how many slow movers there are when the list shows only the first 50', () => {
    const stock = Array.from({ length: 213 }, (_, i) => fact(`s${i}`, 100 + i));
    const stats = new Map(stock.map((f) => [`S001|${f.sku}`, { units28d: 1, lastSoldOn: '2026-03-01' }]));
    const shaped = shapeInventory(stock, stats, new Map(), '2026-03-04');
    expect(shaped.slowMovers).toHaveLength(50);
    expect(shaped.counts.slowMovers).toEqual({ total: 213, truncated: true });
    expect(shaped.counts.deadStock).toEqual({ total: 0, truncated: false });
    // Most valuable first: the rows shown are the 50 largest of the 213.
    expect(shaped.slowMovers[0]?.sku).toBe('s212');
  });
});

describe('forecast words', () => {
  it('names the band and the error as two different numbers, neither rounded into the other', () => {
    expect(trustText(2.5, 2)).toBe(
      '80 % likely range (p10–p90) ±2 units a day on average over the next 7 days; ' +
        'mean absolute error over the last 28 days (backtest) 2.5 units a day',
    );
    expect(trustText(1, 0.43)).toMatch(/±0.4 units a day .*\(backtest\) 1 unit a day$/);
    expect(trustText(12.4, 20.6, true)).toMatch(/±at most 21 units a day .* at most 12 units a day$/);
    expect(trustText(null, 3)).toMatch(/±3 units a day .*; too little history/);
  });

  it("the band's ± is half the p10–p90 width over the next week", () => {
    const days = Array.from({ length: 14 }, (_, i) => ({ p10: 1, p90: i < 7 ? 5 + i : 100 }));
    // (4 + 5 + … + 10) / 2 / 7 = 3.5
    expect(bandHalfWidth(days)).toBe(3.5);
    expect(bandHalfWidth([])).toBeNull();
  });
  it('asks the chain series for head office and sums store rows for a narrower scope', () => {
    expect(seriesFor({ stores: 'all' })).toEqual({ level: 'chain', key: '*', storeRows: '*' });
    expect(seriesFor({ stores: ['S001', 'S002'] })).toEqual({
      level: 'store',
      key: '*',
      storeRows: ['S001', 'S002'],
    });
    expect(seriesFor({ stores: 'all', storeId: 'S003', sku: 'X' })).toEqual({
      level: 'sku',
      key: 'X',
      storeRows: ['S003'],
    });
    expect(seriesFor({ stores: 'all', category: 'Dairy' }).storeRows).toBe('*');
    expect(seriesFor({ stores: ['S001'], category: 'Dairy' }).storeRows).toEqual(['S001']);
  });
});

describe('drill-down', () => {
  it('each row carries the query that opens its children, down to SKUs', () => {
    const facts = [
      { id: 'Dairy', name: 'Dairy', u7: 1, r7: 10, u28: 4, r28: 40 },
      { id: 'Bakery', name: 'Bakery', u7: 2, r7: 20, u28: 8, r28: 80 },
    ];
    const rows = shapeDrill({ store: 'S001' }, facts);
    expect(rows.map((r) => [r.id, r.next])).toEqual([
      ['Bakery', { store: 'S001', category: 'Bakery' }],
      ['Dairy', { store: 'S001', category: 'Dairy' }],
    ]);
    expect(shapeDrill({ store: 'S001', category: 'Dairy' }, facts)[0]?.next).toBeNull();
  });
});

describe('morning briefing', () => {
  it('leads with the largest stock-out risk and keeps to five actions', () => {
    const actions = pickActions({
      atRisk: [risk('a', 1, 50), risk('b', 2, 30), risk('c', 0, 10), risk('d', 0, 9), risk('e', 0, 8)],
      slowMovers: [
        {
          storeId: 'S002',
          sku: 'x',
          name: 'X',
          onHand: 90,
          units28d: 3,
          daysOfCover: 840,
          valueAtCostMinor: 12345,
        },
      ],
      deviations: [
        { storeId: 'S001', key: 'Dairy', name: 'Dairy', actual: 10, forecast: 40, p10: 30, p90: 50 },
      ],
      terminals: [
        {
          storeId: 'S003',
          terminalId: 'S003-T01',
          unsent: 57,
          lastSyncAt: null,
          lagSeconds: 8000,
          conflicts: 0,
          quarantined: 0,
        },
      ],
      currency: 'EUR',
    });
    expect(actions.map((a) => a.kind)).toEqual(['stockout', 'stockout', 'overstock', 'deviation', 'sync']);
    expect(actions[0]?.numbers).toMatchObject({ available: 1, forecast7d: 50 });
    expect(actions[0]?.link).toBe('#/insights/forecast?store=S001&sku=a');
  });

  it('a deviation inside the band is no action', () => {
    const actions = pickActions({
      atRisk: [],
      slowMovers: [],
      deviations: [
        { storeId: 'S001', key: 'Dairy', name: 'Dairy', actual: 35, forecast: 40, p10: 30, p90: 50 },
      ],
      terminals: [],
      currency: 'EUR',
    });
    expect(actions).toEqual([]);
    expect(briefingText('S001', '2026-03-04', actions)).toMatch(/nothing needs your attention/);
  });
});

describe('a till whose sync stopped', () => {
  const till = (
    terminalId: string,
    over: Partial<Record<'conflicts' | 'unsent' | 'lagSeconds', number>>,
  ) => ({
    storeId: 'S001',
    terminalId,
    unsent: over.unsent ?? 0,
    lastSyncAt: '2026-03-04T08:00:00.000Z',
    lagSeconds: over.lagSeconds ?? 0,
    conflicts: over.conflicts ?? 0,
    quarantined: 0,
  });

  it('is the briefing’s sync action ahead of a till that is merely behind', () => {
    const actions = pickActions({
      atRisk: [],
      slowMovers: [],
      deviations: [],
      terminals: [
        till('S001-T02', { unsent: 400, lagSeconds: 90_000 }),
        till('S001-T01', { conflicts: 3, unsent: 12 }),
      ],
      currency: 'EUR',
    });
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      kind: 'sync',
      title: 'Till S001-T01 has stopped syncing',
      numbers: { conflicts: 3, unsent: 12 },
    });
  });

  it('shows its conflicts on the till health panel, and a till without any shows none', () => {
    const row = (id: string, conflicts?: number) => ({
      id,
      store_id: 'S001',
      name: null,
      last_seen_at: new Date('2026-03-04T08:00:00Z'),
      outbox_pending: 0,
      outbox_oldest_age_s: 0,
      outbox_reported_at: new Date('2026-03-04T08:00:00Z'),
      ...(conflicts === undefined ? {} : { conflicts, quarantined: 1 }),
    });
    const [store] = shapeTills(
      [{ id: 'S001', name: 'Mitte', currency: 'EUR', timeZone: 'Europe/Berlin' } satisfies ScopeStore],
      [row('T1', 2), row('T2')],
      [],
      new Date('2026-03-04T09:00:00Z'),
    );
    expect(store?.terminals.map((t) => [t.terminalId, t.conflicts, t.quarantined])).toEqual([
      ['T1', 2, 1],
      ['T2', 0, 0],
    ]);
  });
});

describe('LLM rephrasing', () => {
  const template = briefingText('Berlin', '2026-03-04', [
    pickActions({
      atRisk: [risk('a', 3, 14)],
      slowMovers: [],
      deviations: [],
      terminals: [],
      currency: 'EUR',
    })[0]!,
  ]);
  const fakeFetch = (content: string): typeof fetch =>
    (async () =>
      new Response(JSON.stringify({ choices: [{ message: { content } }] }), { status: 200 })) as typeof fetch;
  const cfg = { url: 'http://llm.invalid/v1', key: 'k', model: 'm', timeoutMs: 1000 };

  it('accepts a rephrasing that keeps the numbers', async () => {
    const text =
      'Good morning Berlin (2026-03-04)! 1. Item a is nearly gone at S001: only 3 left, 14 will sell this week, about 1.5 days.';
    expect(rephrasingIsFaithful(template, text)).toBe(true);
    expect(await rephraseBriefing(template, cfg, { fetch: fakeFetch(text) })).toBe(text);
  });

  it('rejects a rephrasing with an invented or changed number', async () => {
    const invented = 'Item a at S001: 3 left, 14 to sell, order 40 today.';
    expect(await rephraseBriefing(template, cfg, { fetch: fakeFetch(invented) })).toBeUndefined();
    expect(rephrasingIsFaithful(template, 'Item a at S001: 3 left, about 15 to sell.')).toBe(false);
  });

  it('keeps the template when the LLM is down', async () => {
    const down = (async () => {
      throw new Error('connect ECONNREFUSED');
    }) as typeof fetch;
    expect(await rephraseBriefing(template, cfg, { fetch: down })).toBeUndefined();
  });

  it('any number added to a faithful text makes it unfaithful unless the template has it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
        const text = `${template} And ${n} more.`;
        expect(rephrasingIsFaithful(template, text)).toBe(numbersIn(template).includes(String(n)));
      }),
    );
  });
});
