import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.ts';
import { lockDataFolder } from './folder-lock.ts';

const folder = tempDirs('lock');

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
