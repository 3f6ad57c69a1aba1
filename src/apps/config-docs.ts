/**
 * The docs' configuration tables, generated from the schema in config.ts: the README lists the
 * settings for running Tally, docs/BENCHMARKS.md the benchmarks' and docs/TESTING.md the test
 * harness's. `npm run docs` rewrites them; config-docs.test.ts fails when one is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { configSchema, type SettingScope, settingDocs } from './config.ts';

/** Which file holds which scope's table, between `<!-- config:<scope> -->` and `<!-- /config:<scope> -->`. */
export const CONFIG_TABLE_FILES: Record<SettingScope, string> = {
  run: 'README.md',
  bench: 'docs/BENCHMARKS.md',
  test: 'docs/TESTING.md',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown table of one scope's variables, in the schema's order. */
export function configTable(scope: SettingScope): string {
  const rows = ['| variable | used by | default | allowed | meaning |', '| --- | --- | --- | --- | --- |'];
  for (const [name, schema] of Object.entries(configSchema.shape)) {
    const doc = settingDocs.get(schema as z.ZodType);
    if (!doc) throw new Error(`config.ts: ${name} has no documentation; give it one with setting()`);
    if (doc.scope !== scope) continue;
    rows.push(
      `| \`${name}\` | ${cell(doc.usedBy)} | ${cell(doc.default)} | ${cell(doc.allowed)} | ${cell(doc.meaning)} |`,
    );
  }
  return rows.join('\n');
}

/** The text with its generated table replaced; the markers must be there. */
export function withConfigTable(text: string, scope: SettingScope, file: string): string {
  const open = `<!-- config:${scope} -->`;
  const close = `<!-- /config:${scope} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start)
    throw new Error(`${file}: no ${open} … ${close} markers; add them where the table belongs`);
  return `${text.slice(0, start + open.length)}\n${configTable(scope)}\n${text.slice(end)}`;
}

/** Files whose table differs from the schema; with `write`, rewrites them. */
export function syncConfigDocs(root: string, write: boolean): string[] {
  const stale: string[] = [];
  for (const [scope, file] of Object.entries(CONFIG_TABLE_FILES) as [SettingScope, string][]) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const next = withConfigTable(text, scope, file);
    if (next === text) continue;
    stale.push(file);
    if (write) writeFileSync(path, next);
  }
  return stale;
}
