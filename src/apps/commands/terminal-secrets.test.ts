import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { readSecret } from './terminal.ts';

/**
 * Enrolling a till must not put HQ's admin token in the process list: it comes from a file or from
 * standard input; given on the command line it still works, with a warning saying why not to.
 */
const tempDir = tempDirs('secret');

describe('the till reads its secrets from a file, not its command line', () => {
  it('reads the admin token from --enroll-with-file without a warning', async () => {
    const dir = tempDir();
    const file = join(dir, 'admin-token');
    writeFileSync(file, 'the-admin-token\n', { mode: 0o600 });
    const warnings: string[] = [];
    expect(await readSecret(undefined, file, '--enroll-with', (m) => warnings.push(m))).toBe(
      'the-admin-token',
    );
    expect(warnings).toEqual([]);
  });

  it('warns that a token on the command line is visible to every user of the machine', async () => {
    const warnings: string[] = [];
    expect(await readSecret('the-admin-token', undefined, '--enroll-with', (m) => warnings.push(m))).toBe(
      'the-admin-token',
    );
    expect(warnings.join()).toMatch(/process list.*--enroll-with-file/);
    expect(warnings.join()).not.toContain('the-admin-token');
  });

  it('names the option at fault for a missing or empty file, or a token given twice', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    const noWarn = () => undefined;
    await expect(readSecret(undefined, join(dir, 'none'), '--enroll-with', noWarn)).rejects.toMatchObject({
      field: '--enroll-with-file',
    });
    await expect(readSecret(undefined, empty, '--enroll-with', noWarn)).rejects.toMatchObject({
      field: '--enroll-with-file',
    });
    await expect(readSecret('x', empty, '--enroll-with', noWarn)).rejects.toMatchObject({
      field: '--enroll-with',
    });
  });
});
