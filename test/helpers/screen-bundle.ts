import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A built screen as Vite leaves it in `dir`: index.html and one hashed asset under assets/, for the
 * tests of how the till and HQ serve their screens. Returns `dir`.
 */
export function writeScreenBundle(dir: string, indexHtml: string, asset = 'index-abc.js'): string {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), indexHtml);
  writeFileSync(join(dir, 'assets', asset), 'console.log(1)');
  return dir;
}
