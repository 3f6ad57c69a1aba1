/**
 * The module boundaries of Tally, enforced by `npm run lint` (dependency-cruiser).
 *
 * LAYERS lists the modules from the bottom up. A module may import only modules on a lower layer,
 * never one on its own layer or above: an edge back up fails lint. docs/ARCHITECTURE.md shows the
 * same order (a test checks the two agree), and a module added under src/ must be placed here.
 *
 * Between modules, an import goes through the other module's public entry: its `index.ts`, or
 * `till/index.ts` / `hq/index.ts` for code that runs on one side only; code on the till's side (a
 * till/ folder, apps/terminal) never imports HQ's side (hq/ folders, apps/hq), nor the other way. Tests
 * beside the code may reach further (they test a module with the help of others); bench/ and test/ are
 * outside the rules.
 */
const LAYERS = [
  ['core'],
  ['contracts'],
  ['db'],
  ['access', 'pricing', 'payments'],
  ['sync'],
  ['catalog', 'customers', 'stored-value'],
  ['sales'],
  ['inventory'],
  ['intel/forecast'],
  ['intel/replenish', 'intel/customers'],
  ['intel/baskets'],
  ['reports'],
  ['demo'],
  ['apps'],
  ['web'],
];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const notTest = '\\.test\\.tsx?$';

const upward = LAYERS.flatMap((layer, i) =>
  layer.map((mod) => {
    const above = LAYERS.slice(i)
      .flat()
      .filter((m) => m !== mod);
    return {
      name: `no-upward:${mod}`,
      comment: `${mod} sits on layer ${i}; it may import only modules below it (see LAYERS in .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: `^src/${esc(mod)}/`, pathNot: notTest },
      to: { path: `^src/(${above.map(esc).join('|')})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'module-unplaced',
      comment: 'every folder under src/ is a module with a place in LAYERS',
      severity: 'error',
      from: { path: `^src/(?!(${LAYERS.flat().map(esc).join('|')})/)[^/]+/`, pathNot: notTest },
      to: {},
    },
    {
      name: 'through-index',
      comment:
        'import another module through its index.ts (or till/index.ts, hq/index.ts), not its internals',
      severity: 'error',
      from: { path: '^src/(intel/[^/]+|[^/]+)/', pathNot: [notTest, '^src/web/'] },
      to: {
        path: '^src/',
        pathNot: ['^src/$1/', '^src/(intel/[^/]+|[^/]+)/((till|hq)/)?index\\.tsx?$'],
      },
    },
    {
      name: 'till-not-hq',
      comment:
        "code that runs on the till (a till/ folder, apps/terminal) does not import HQ's side (hq/ folders, apps/hq)",
      severity: 'error',
      from: { path: '(^src/apps/terminal/|/till/)', pathNot: notTest },
      to: { path: '(^src/apps/hq/|^src/[^/]+/hq/|^src/intel/[^/]+/hq/)' },
    },
    {
      name: 'hq-not-till',
      comment:
        "code that runs at HQ (an hq/ folder, apps/hq) does not import the till's side (till/ folders, apps/terminal)",
      severity: 'error',
      from: { path: '(^src/apps/hq/|/hq/)', pathNot: notTest },
      to: { path: '(^src/apps/terminal/|^src/[^/]+/till/|^src/intel/[^/]+/till/)' },
    },
    {
      name: 'web-browser-safe',
      comment:
        'the screens run in a browser: they import the zod contracts (through contracts/index.ts) and core money only',
      severity: 'error',
      from: { path: '^src/web/', pathNot: notTest },
      to: { path: '^src/', pathNot: ['^src/web/', '^src/contracts/index\\.ts$', '^src/core/money\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^node_modules/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
// Not a dependency-cruiser option (its schema allows no extra keys): read by test/architecture tests.
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
