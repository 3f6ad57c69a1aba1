import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataFolder } from './folder-lock.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tally-lock-'));
  dirs.push(d);
  return d;
};

describe('data folder lock', () => {
  it('refuses a folder another live process holds, saying what to do', () => {
    const dir = folder();
    writeFileSync(join(dir, 'tally.pid'), String(process.ppid)); // the test runner's parent is alive
    expect(() => lockDataFolder(dir)).toThrow(/in use by process .*stop it first/);
  });

  it('takes over a claim left by a process that is gone, and frees the folder on release', () => {
    const dir = folder();
    writeFileSync(join(dir, 'tally.pid'), '999999999');
    const release = lockDataFolder(dir);
    expect(() => lockDataFolder(dir)).toThrow(/already open/);
    release();
    lockDataFolder(dir)();
  });
});
