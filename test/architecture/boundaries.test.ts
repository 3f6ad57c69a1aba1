/**
 * The lint rules in .dependency-cruiser.cjs, applied to small trees: an edge back up the layer order, an
 * import past a module's entry or across the till/HQ line is
 * an error (so `npm run lint` and CI fail), an edge down is fine, and the real src/ has no error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  forbidden: IForbiddenRuleType[];
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Violations found in a tree of files (path → source), as "rule: from → to". */
async function violations(files: Record<string, string>, base?: string): Promise<string[]> {
  let dir = base;
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'tally-boundaries-'));
    dirs.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  }
  const result = await cruise(['src'], {
    baseDir: dir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  });
  const out = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as {
    summary: { violations: { rule: { name: string; severity: string }; from: string; to: string }[] };
  };
  return out.summary.violations
    .filter((v) => v.rule.severity === 'error')
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('module boundaries', () => {
  it('refuses an edge back up the layers, and lets one go down', async () => {
    const found = await violations({
      'src/core/money.ts': "import { sell } from '../sales/index.ts';\nexport const m = sell;\n",
      'src/sales/index.ts': "import { newId } from '../core/index.ts';\nexport const sell = newId;\n",
      'src/core/index.ts': 'export const newId = 1;\n',
    });
    expect(found).toEqual(['no-upward:core: src/core/money.ts → src/sales/index.ts']);
  });

  it('refuses an edge between two modules on the same layer', async () => {
    const found = await violations({
      'src/catalog/index.ts': "export * from '../customers/index.ts';\n",
      'src/customers/index.ts': 'export const c = 1;\n',
    });
    expect(found).toEqual(['no-upward:catalog: src/catalog/index.ts → src/customers/index.ts']);
  });

  it("refuses an import past another module's public entry", async () => {
    const found = await violations({
      'src/sales/sell.ts': "export * from '../catalog/products.ts';\nexport * from '../catalog/index.ts';\n",
      'src/catalog/products.ts': 'export const p = 1;\n',
      'src/catalog/index.ts': "export * from './products.ts';\n",
    });
    expect(found).toEqual(['through-index: src/sales/sell.ts → src/catalog/products.ts']);
  });

  it("keeps the till's code and HQ's code apart", async () => {
    const found = await violations({
      'src/sales/till/scan.ts': "export * from '../hq/facts.ts';\nexport * from '../events.ts';\n",
      'src/sales/hq/facts.ts': "export * from '../till/scan.ts';\n",
      'src/sales/events.ts': 'export const e = 1;\n',
    });
    expect(found.sort()).toEqual([
      'hq-not-till: src/sales/hq/facts.ts → src/sales/till/scan.ts',
      'till-not-hq: src/sales/till/scan.ts → src/sales/hq/facts.ts',
    ]);
  });

  it('keeps the screens to the contracts and core money', async () => {
    const found = await violations({
      'src/web/register/api.ts':
        "export * from '../../sales/index.ts';\nexport * from '../../core/money.ts';\n",
      'src/sales/index.ts': 'export const s = 1;\n',
      'src/core/money.ts': 'export const m = 1;\n',
    });
    expect(found).toEqual(['web-browser-safe: src/web/register/api.ts → src/sales/index.ts']);
  });

  it('finds no error in the code as it is', async () => {
    expect(await violations({}, root)).toEqual([]);
  }, 120_000);
});
