/**
 * docs/ARCHITECTURE.md's module map must stay true: every folder under src/ has its line, in the layer
 * order lint enforces, and its "runs on" is what the imports say — followed from the till's and HQ's
 * entry points, so a module that starts loading on the other side shows up here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const LAYERS = (
  createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { LAYERS: string[][] }
).LAYERS;

interface MapRow {
  module: string;
  runsOn: string;
}

function moduleMap(): MapRow[] {
  const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
  const table = /<!-- module-map:start -->([\s\S]*?)<!-- module-map:end -->/.exec(doc)?.[1];
  if (!table) throw new Error('docs/ARCHITECTURE.md has no <!-- module-map:start --> … end block');
  return table
    .split('\n')
    .map((l) => /^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ module: m[1] as string, runsOn: m[2] as string }));
}

function folders(): string[] {
  const dirs = (p: string) =>
    readdirSync(join(root, p), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  return dirs('src').flatMap((d) => (d === 'intel' ? dirs('src/intel').map((s) => `intel/${s}`) : [d]));
}

const moduleOf = (file: string): string | undefined => /^src\/(intel\/[^/]+|[^/]+)\//.exec(file)?.[1];

let graph: Map<string, string[]>;
const reach = (entry: string): Set<string> => {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const d of graph.get(f) ?? []) todo.push(d);
  }
  return seen;
};
const TILL = 'src/apps/terminal/start.ts';
const HQ = 'src/apps/hq/server.ts';

beforeAll(async () => {
  const cwd = process.cwd();
  if (cwd !== root) throw new Error(`run the tests from the repository root (${root}), not ${cwd}`);
  const result = await cruise([TILL, HQ, 'src/apps/cli.ts'], {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
  });
  const out = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as {
    modules: { source: string; dependencies: { resolved: string; dependencyTypes: string[] }[] }[];
  };
  // A type-only import loads nothing at run time, so it does not make a module run on that side.
  graph = new Map(
    out.modules.map((m) => [
      m.source,
      m.dependencies.filter((d) => !d.dependencyTypes.includes('type-only')).map((d) => d.resolved),
    ]),
  );
}, 120_000);

describe('the module map in docs/ARCHITECTURE.md', () => {
  it('has one line per folder under src/, in the layer order lint enforces', () => {
    const rows = moduleMap().map((r) => r.module);
    expect([...rows].sort()).toEqual(folders().sort());
    expect(rows).toEqual(LAYERS.flat());
  });

  it('says truly which process runs each module', () => {
    const till = new Set([...reach(TILL)].map(moduleOf));
    const hq = new Set([...reach(HQ)].map(moduleOf));
    const observed = (m: string): string => {
      if (m === 'web') return 'browser';
      if (till.has(m) && hq.has(m)) return 'both';
      if (till.has(m)) return 'till';
      if (hq.has(m)) return 'HQ';
      return 'CLI';
    };
    const wrong = moduleMap()
      .filter((r) => observed(r.module) !== r.runsOn)
      .map((r) => `${r.module}: the map says "${r.runsOn}", the imports say "${observed(r.module)}"`);
    expect(wrong).toEqual([]);
  });

  it('keeps till/ code out of HQ and hq/ code out of the till', () => {
    const hqLoadsTill = [...reach(HQ)].filter((f) => /^src\/(?!apps\/)[^/]+(\/[^/]+)*\/till\//.test(f));
    const tillLoadsHq = [...reach(TILL)].filter((f) => /^src\/(?!apps\/)[^/]+(\/[^/]+)*\/hq\//.test(f));
    expect({ hqLoadsTill, tillLoadsHq }).toEqual({ hqLoadsTill: [], tillLoadsHq: [] });
  });
});
