import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * Fresh temporary folders for one test file, removed after each test (or, with `after: 'all'`, once
 * the file is done), so no test leaves a ledger, a catalog cache or HQ's data behind. Call it at the
 * top of the file: `const tempDir = tempDirs('catalog');` then `tempDir()` wherever a folder is needed.
 */
export function tempDirs(prefix: string, after: 'each' | 'all' = 'each'): () => string {
  const dirs: string[] = [];
  (after === 'each' ? afterEach : afterAll)(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `tally-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
}
