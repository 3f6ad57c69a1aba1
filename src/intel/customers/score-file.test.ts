import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { scoreCustomers } from './score.ts';
import { scoreFile } from './score-file.ts';

vi.setConfig({ testTimeout: 60_000 });

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/customers/lines-small.csv', import.meta.url));
const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const tempDir = tempDirs('customers-score');
const text = readFileSync(FIXTURE, 'utf8');
const lines = text.trim().split('\n');

const customersInFixture = () =>
  new Set(
    lines
      .slice(1)
      .map((l) => l.split(',')[2] as string)
      .filter((c) => c !== ''),
  );

const withLine = (extra: string, at = lines.length) => {
  const dir = tempDir();
  const path = join(dir, 'lines.csv');
  writeFileSync(path, `${[...lines.slice(0, at), extra, ...lines.slice(at)].join('\n')}\n`);
  return { dir, path, out: join(dir, 'scores.csv') };
};

const readScores = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [customer, p, spend, segment] = l.split(',');
      return { customer: customer as string, p: Number(p), spend: Number(spend), segment: segment as string };
    });

describe('tally customers score on a small shop', () => {
  it('scores every customer with a line before as-of, returns-only customers included, guests left out', async () => {
    const out = join(tempDir(), 'scores.csv');
    const result = await scoreFile({ transactions: FIXTURE, asOf: '2011-07-01', horizonDays: 30, out });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('customer,p_active,expected_spend,segment');
    const rows = readScores(out);
    expect(new Set(rows.map((r) => r.customer))).toEqual(customersInFixture());
    for (const r of rows) {
      expect(r.p).toBeGreaterThanOrEqual(0);
      expect(r.p).toBeLessThanOrEqual(1);
      expect(r.spend).toBeGreaterThanOrEqual(0);
    }
    // 29999 only ever cancelled: present, never bought, so lost.
    expect(rows.find((r) => r.customer === '29999')?.segment).toBe('lost');
    expect(result.segments.reduce((s, g) => s + g.customers, 0)).toBe(rows.length);
    expect(result.scores.every((s) => s.clv12 >= s.expectedSpend)).toBe(true);
  });

  it('gives the same file for the same input', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    await scoreFile({ transactions: FIXTURE, asOf: '2011-07-01', horizonDays: 30, out: a });
    await scoreFile({ transactions: FIXTURE, asOf: '2011-07-01', horizonDays: 30, out: b });
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('still scores everyone when the history is too short for a held-out cutoff, or for any', async () => {
    for (const horizonDays of [140, 170]) {
      const out = join(tempDir(), 'scores.csv');
      const result = await scoreFile({ transactions: FIXTURE, asOf: '2011-07-01', horizonDays, out });
      expect(result.model.calibrationCutoff).toBeNull();
      expect(result.model.trainCutoffs).toHaveLength(horizonDays === 140 ? 1 : 0);
      const rows = readScores(out);
      expect(rows).toHaveLength(customersInFixture().size);
      for (const r of rows) expect(r.p >= 0 && r.p <= 1 && r.spend >= 0).toBe(true);
    }
  });

  it('refuses a line at as-of with its line number and writes nothing', async () => {
    const f = withLine('200001,2011-07-01 00:00:00,20001,A1,1,2.50,Leeds', 10);
    await expect(
      scoreFile({ transactions: f.path, asOf: '2011-07-01', horizonDays: 30, out: f.out }),
    ).rejects.toThrow(/line 11: 2011-07-01 00:00:00 is at or after --as-of 2011-07-01/);
    expect(readdirSync(f.dir)).toEqual(['lines.csv']);
  });

  it('names the column of a malformed row', async () => {
    const cases: [string, RegExp][] = [
      ['200002,2011-05-01 10:00,20001,A1,three,2.50,Leeds', /quantity: line \d+: "three" is not a number/],
      ['200003,2011-02-30,20001,A1,1,2.50,Leeds', /time: line \d+: "2011-02-30"/],
      ['200004,2011-05-01T10:00:00Z,20001,A1,1,,Leeds', /unit_price: line \d+: "" is not a number/],
      [',2011-05-01,20001,A1,1,2.5,Leeds', /invoice: line \d+: empty/],
    ];
    for (const [row, message] of cases) {
      const f = withLine(row);
      await expect(
        scoreFile({ transactions: f.path, asOf: '2011-07-01', horizonDays: 30, out: f.out }),
      ).rejects.toThrow(message);
      expect(existsSync(f.out)).toBe(false);
    }
  });

  it('counts a cancellation against the spend but not as a purchase', () => {
    const at = (d: string) => Date.parse(`${d}T10:00:00Z`);
    const rows = [
      { invoice: '1', timeMs: at('2011-01-05'), customer: 'a', product: 'p', quantity: 2, unitPrice: 5 },
      { invoice: 'C2', timeMs: at('2011-01-06'), customer: 'a', product: 'p', quantity: -2, unitPrice: 5 },
      { invoice: 'C3', timeMs: at('2011-01-07'), customer: 'b', product: 'p', quantity: -1, unitPrice: 5 },
      { invoice: '4', timeMs: at('2011-01-08'), customer: '', product: 'p', quantity: 1, unitPrice: 5 },
    ];
    const r = scoreCustomers(rows, { asOf: '2011-02-01', horizonDays: 30 });
    expect(r.scores.map((s) => s.customer)).toEqual(['a', 'b']);
    expect(r.scores.find((s) => s.customer === 'b')?.segment).toBe('lost');
    expect(() => scoreCustomers(rows, { asOf: '2011-01-06', horizonDays: 30 })).toThrow(
      /line 2: at or after as-of/,
    );
  });

  it('runs from the command line and can add the 12-month value', () => {
    const dir = tempDir();
    const out = join(dir, 'scores.csv');
    const r = spawnSync(
      process.execPath,
      [
        TALLY,
        'customers',
        'score',
        '--transactions',
        FIXTURE,
        '--as-of',
        '2011-07-01',
        '--horizon-days',
        '30',
        '--out',
        out,
        '--with-clv12',
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/customers scored to/);
    const csv = readFileSync(out, 'utf8').split('\n');
    expect(csv[0]).toBe('customer,p_active,expected_spend,segment,clv12');
    expect(csv.filter((l) => l !== '')).toHaveLength(customersInFixture().size + 1);
  });
});
