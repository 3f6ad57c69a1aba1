import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configTable, syncConfigDocs, withConfigTable } from './config-docs.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the configuration tables in the docs', () => {
  it('say exactly what the schema in src/apps/config.ts says (else: run `npm run docs`)', () => {
    const stale = syncConfigDocs(root, false);
    expect(stale, `out of date: ${stale.join(', ')}; run \`npm run docs\``).toEqual([]);
  });

  it('list every variable once, each in its own file', () => {
    const run = configTable('run');
    expect(run).toContain('| `TALLY_LOG_LEVEL` | all | `warn` on a terminal, else `info` |');
    expect(run).not.toContain('GBDT_PARAMS');
    expect(configTable('bench')).toContain('`GBDT_PARAMS`');
    expect(configTable('test')).toContain('`TALLY_TEST_PG_URL`');
  });

  it('refuses a file without the markers, saying where they go', () => {
    expect(() => withConfigTable('# no table here', 'run', 'README.md')).toThrow(
      /README.md: no <!-- config:run -->/,
    );
  });
});
