import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { mineFile } from './rules-file.ts';

vi.setConfig({ testTimeout: 60_000 });

const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const tempDir = tempDirs('baskets-rules');

/** A small shop: tea goes with biscuits (4 of 5 tea baskets), everyone buys milk, one till is a café. */
const SHOP = [
  'invoice,time,customer,product,quantity,unit_price,store',
  ...[
    ['1', 'tea biscuits milk', 'high-st'],
    ['2', 'tea biscuits milk', 'high-st'],
    ['3', 'tea biscuits', 'high-st'],
    ['4', 'tea biscuits jam', 'cafe'],
    ['5', 'tea milk', 'cafe'],
    ['6', 'milk bread', 'high-st'],
    ['7', 'milk bread jam', 'cafe'],
    ['8', 'milk', 'high-st'],
  ].flatMap(([inv, products, store]) =>
    (products as string)
      .split(' ')
      .map((p, i) => `${inv},2011-03-0${inv} 10:0${i}:00,c${inv},${p},1,2.50,${store}`),
  ),
  // A cancellation and a line of no quantity buy nothing.
  'C9,2011-03-09 10:00:00,c1,tea,-1,2.50,high-st',
  'C9,2011-03-09 10:00:00,c1,jam,-1,2.50,high-st',
  '10,2011-03-09 11:00:00,c2,biscuits,0,2.50,high-st',
  '10,2011-03-09 11:00:00,c2,jam,0,2.50,high-st',
];

const write = (lines: string[]) => {
  const dir = tempDir();
  const path = join(dir, 'lines.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { dir, path, out: join(dir, 'rules.csv') };
};

const readRules = (path: string) => {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  return {
    header,
    rules: rows.map((l) => {
      const [antecedent, consequent, support, confidence, lift] = l.split(',');
      return {
        antecedent: antecedent as string,
        consequent: consequent as string,
        support: Number(support),
        confidence: Number(confidence),
        lift: Number(lift),
      };
    }),
  };
};

describe('tally baskets on a small shop', () => {
  it('says tea brings biscuits with the support, confidence and lift counted by hand', async () => {
    const f = write(SHOP);
    const r = await mineFile({
      transactions: f.path,
      out: f.out,
      minSupport: 0.2,
      minConfidence: 0,
      maxAntecedent: 2,
    });
    expect(r.baskets).toBe(8);
    const { header, rules } = readRules(f.out);
    expect(header).toBe('antecedent,consequent,support,confidence,lift');
    const teaBiscuits = rules.find((x) => x.antecedent === 'tea' && x.consequent === 'biscuits');
    // 4 of 8 baskets hold both; 4 of the 5 tea baskets hold biscuits; biscuits are in 4 of 8 baskets.
    expect(teaBiscuits).toEqual({
      antecedent: 'tea',
      consequent: 'biscuits',
      support: 0.5,
      confidence: 0.8,
      lift: 1.6,
    });
    const both = rules.find((x) => x.antecedent === 'milk|tea' && x.consequent === 'biscuits');
    expect(both?.support).toBe(0.25);
    expect(both?.confidence).toBeCloseTo(2 / 3, 6);
    // Cancelled jam and the zero-quantity line count for nothing: jam is in 2 baskets, below 20 %.
    expect(rules.some((x) => x.antecedent.includes('jam') || x.consequent === 'jam')).toBe(false);
    // Most confident first.
    expect(rules.map((x) => x.confidence)).toEqual([...rules.map((x) => x.confidence)].sort((a, b) => b - a));
  });

  it('keeps only rules at or above the confidence asked for, and mines one store on request', async () => {
    const f = write(SHOP);
    await mineFile({
      transactions: f.path,
      out: f.out,
      minSupport: 0.2,
      minConfidence: 0.75,
      maxAntecedent: 1,
    });
    const { rules } = readRules(f.out);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((x) => x.confidence >= 0.75 && !x.antecedent.includes('|'))).toBe(true);
    const highStreet = await mineFile({
      transactions: f.path,
      out: f.out,
      minSupport: 0.4,
      minConfidence: 0,
      maxAntecedent: 1,
      store: 'high-st',
    });
    expect(highStreet.baskets).toBe(5);
    // On the high street every tea basket holds biscuits (3 of 3); across the chain 4 of 5.
    expect(
      readRules(f.out).rules.find((x) => x.antecedent === 'tea' && x.consequent === 'biscuits'),
    ).toMatchObject({
      support: 0.6,
      confidence: 1,
    });
    await expect(
      mineFile({
        transactions: f.path,
        out: f.out,
        minSupport: 0.4,
        minConfidence: 0,
        maxAntecedent: 1,
        store: 'airport',
      }),
    ).rejects.toThrow(/--store: no basket at store "airport"/);
  });

  it('names the line at fault and writes nothing when a row is bad', async () => {
    const f = write([
      ...SHOP.slice(0, 5),
      '3,2011-03-03 10:00:00,c3,tea,lots,2.50,high-st',
      ...SHOP.slice(5),
    ]);
    await expect(
      mineFile({ transactions: f.path, out: f.out, minSupport: 0.1, minConfidence: 0, maxAntecedent: 2 }),
    ).rejects.toThrow(/quantity: line 6: "lots" is not a number/);
    expect(readdirSync(f.dir)).toEqual(['lines.csv']);
    await expect(
      mineFile({
        transactions: f.path.replace('lines', 'none'),
        out: f.out,
        minSupport: 0.1,
        minConfidence: 0,
        maxAntecedent: 2,
      }),
    ).rejects.toThrow();
    expect(existsSync(f.out)).toBe(false);
  });

  it('runs from the command line and refuses a support that is not a share', () => {
    const f = write(SHOP);
    const ok = spawnSync(
      process.execPath,
      [TALLY, 'baskets', '--transactions', f.path, '--out', f.out, '--min-support', '0.25'],
      {
        encoding: 'utf8',
      },
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/rules from 8 baskets .* written to/);
    expect(readRules(f.out).rules.length).toBeGreaterThan(0);
    const bad = spawnSync(
      process.execPath,
      [TALLY, 'baskets', '--transactions', f.path, '--out', `${f.out}2`, '--min-support', '5'],
      {
        encoding: 'utf8',
      },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--min-support/);
    expect(existsSync(`${f.out}2`)).toBe(false);
  });
});
