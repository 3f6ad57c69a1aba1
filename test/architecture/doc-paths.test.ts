/** The docs name files by their path; a move that leaves a doc pointing at nothing fails here. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

describe('paths named in the docs', () => {
  it.each(docs)('%s names only files that exist', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    const named = [...text.matchAll(/\b((?:src|test|bench|scripts)\/[A-Za-z0-9_./-]*[A-Za-z0-9_])/g)].map(
      (m) => m[1] as string,
    );
    const missing = [...new Set(named)].filter((p) => !p.includes('*') && !existsSync(join(root, p)));
    expect(missing).toEqual([]);
  });
});
