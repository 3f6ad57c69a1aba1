import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaMigration } from './schema-migration.ts';
import { openSqlite } from './sqlite.ts';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-sqlite-'));
  dirs.push(dir);
  return join(dir, 'test.db');
};
const step = (id: string, up: string): SchemaMigration => ({ id, up });
const createA = step('0001_a', 'CREATE TABLE a (x INTEGER)');

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openSqlite', () => {
  it('opens in WAL with full sync, so committed rows survive a crash', () => {
    const db = openSqlite(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('runs only the steps a database has not seen yet', () => {
    const file = tempFile();
    const v1 = [createA];
    openSqlite(file, v1).close();
    const v2 = [...v1, step('0002_b', 'CREATE TABLE b (y INTEGER)')];
    const db = openSqlite(file, v2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['a', 'b']);
    db.close();
  });

  it('leaves the version where it was when a step fails', () => {
    const file = tempFile();
    expect(() => openSqlite(file, [createA, step('0002_broken', 'CREATE TABLE broken (')])).toThrow();
    const db = openSqlite(file, [createA]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a database written by a newer build', () => {
    const file = tempFile();
    openSqlite(file, [createA, step('0002_b', 'CREATE TABLE b (x INTEGER)')]).close();
    expect(() => openSqlite(file, [createA])).toThrow(/newer than this build/);
  });
});
