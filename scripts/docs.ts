/**
 * `npm run docs`: rewrites the configuration tables in README.md, docs/BENCHMARKS.md and
 * docs/TESTING.md from the schema in src/apps/config.ts, so the docs say what the code reads.
 */
import { fileURLToPath } from 'node:url';
import { syncConfigDocs } from '../src/apps/config-docs.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const changed = syncConfigDocs(root, true);
console.log(changed.length ? `updated ${changed.join(', ')}` : 'configuration tables already up to date');
