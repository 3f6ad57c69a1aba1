import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../test/helpers/hq-db.ts';
import { hqMigrations } from '../apps/shared/hq-migrations.ts';
import { openHqDb, toSafeNumber } from './hq-db.ts';

describe('numbers read from HQ database', () => {
  it('reads counts and amounts exactly, and says so when one had to be clamped', () => {
    const clamped: string[] = [];
    const read = (v: string) => toSafeNumber(v, (value) => clamped.push(value));
    expect(read('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(read('-42')).toBe(-42);
    expect(read('12.5')).toBe(12.5);
    expect(clamped).toEqual([]);
    expect(read('18014398509481982')).toBe(Number.MAX_SAFE_INTEGER);
    expect(read('-1e30')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(clamped).toEqual(['18014398509481982', '-1e30']);
  });
});

describe.each(hqBackends())('HQ database on $name', ({ open }) => {
  it('comes up migrated, with big integers and dates read as plain values', async () => {
    const { db, close } = await open();
    try {
      await db
        .insertInto('stores')
        .values({ id: 'S1', name: 'A', address: '', currency: 'EUR', time_zone: 'UTC', tax_inclusive: true })
        .execute();
      await db
        .insertInto('stock_on_hand')
        .values({ store_id: 'S1', sku: 'X', qty: 9_000_000_000_000 })
        .execute();
      const row = await db
        .selectFrom('stock_on_hand')
        .select(['qty', sql<number>`sum(qty)`.as('total'), sql<string>`date '2026-03-02'`.as('day')])
        .groupBy('qty')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ qty: 9_000_000_000_000, total: 9_000_000_000_000, day: '2026-03-02' });
    } finally {
      await close();
    }
  });

  it('a stock sum beyond 2^53 answers clamped instead of failing every read that adds it up', async () => {
    const { db, close } = await open();
    try {
      await db
        .insertInto('stores')
        .values({ id: 'S1', name: 'A', address: '', currency: 'EUR', time_zone: 'UTC', tax_inclusive: true })
        .execute();
      await db
        .insertInto('stock_on_hand')
        .values([
          { store_id: 'S1', sku: 'X', qty: Number.MAX_SAFE_INTEGER },
          { store_id: 'S1', sku: 'Y', qty: Number.MAX_SAFE_INTEGER },
          { store_id: 'S1', sku: 'Z', qty: -Number.MAX_SAFE_INTEGER },
        ])
        .execute();
      const row = await db
        .selectFrom('stock_on_hand')
        .select([
          sql<number>`sum(qty) FILTER (WHERE qty > 0)`.as('up'),
          sql<number>`sum(qty) - ${Number.MAX_SAFE_INTEGER}::bigint * 3`.as('down'),
        ])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ up: Number.MAX_SAFE_INTEGER, down: -Number.MAX_SAFE_INTEGER });
    } finally {
      await close();
    }
  });

  it('gives every product change a higher catalog version', async () => {
    const { db, close } = await open();
    try {
      await db
        .insertInto('products')
        .values({ sku: 'A', name: 'Apple', price_minor: 100, tax_rate_bp: 700 })
        .execute();
      const v1 = await db.selectFrom('products').select('version').executeTakeFirstOrThrow();
      await db.updateTable('products').set({ price_minor: 120 }).execute();
      const v2 = await db.selectFrom('products').select('version').executeTakeFirstOrThrow();
      await db.insertInto('barcodes').values({ code: '4006381333931', sku: 'A' }).execute();
      const v3 = await db.selectFrom('products').select('version').executeTakeFirstOrThrow();
      expect(v2.version).toBeGreaterThan(v1.version);
      expect(v3.version).toBeGreaterThan(v2.version);
    } finally {
      await close();
    }
  });
});

describe('embedded HQ database in a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-hq-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across a restart and does not migrate twice', async () => {
    const first = await openHqDb({ migrations: hqMigrations, dataDir: dir, logger: silentLogger });
    await first.db.insertInto('hq_config').values({ key: 'k', value: 'v' }).execute();
    await first.close();
    const second = await openHqDb({ migrations: hqMigrations, dataDir: dir, logger: silentLogger });
    const row = await second.db.selectFrom('hq_config').selectAll().where('key', '=', 'k').executeTakeFirst();
    await second.close();
    expect(row).toEqual({ key: 'k', value: 'v' });
  });
});

describe('embedded HQ database closed right after a failed query', () => {
  it('a command whose parameterised query failed prints the error and ends, instead of crashing or hanging', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-hq-db-fail-'));
    try {
      const script = fileURLToPath(new URL('../../test/fixtures/hq-db-failed-query.ts', import.meta.url));
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, dir], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.stderr).not.toMatch(/TypeError/);
      expect(r.stdout).toMatch(/failed: column "no_such_column" does not exist\nended\n/);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
