// The import rules of CONTRIBUTING.md, checked by `pnpm check:imports` (run by CI after the build).
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join, normalize } = require('node:path');

/** Layers, lowest first. A package imports only packages of a lower layer. */
const LAYERS = [
  ['ollama-sim'],
  ['ollama-stream'],
  ['llm-cache', 'memory-cache', 'tools-parallel'],
  ['memory', 'llm-cache-redis'],
  ['ollama-proxy'],
  ['agent'],
];
/** Imported only by tests and benches, never by a package's src/ or an app's src/. */
const DEV_ONLY = ['dev-kit'];

const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const any = (names) => `(${names.map(literal).join('|')})`;
const layered = LAYERS.flat();

/** The files a package's `exports` point at (its entry points), as paths from the repo root. */
function entryPoints(directory) {
  const manifest = join(directory, 'package.json');
  if (!existsSync(manifest)) return [];
  const targets = [];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(normalize(join(directory, value)));
    else if (value !== null && typeof value === 'object')
      for (const inner of Object.values(value)) collect(inner);
  };
  collect(JSON.parse(readFileSync(manifest, 'utf8')).exports ?? {});
  // `types` and `default` name a .d.ts and a .js; either may be what an import resolves to.
  return targets.flatMap((target) => [
    target,
    target.replace(/\.d\.ts$/, '.js'),
    target.replace(/\.js$/, '.d.ts'),
  ]);
}
const packageNames = readdirSync('packages', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const entries = packageNames.flatMap((name) => entryPoints(join('packages', name)));

const forbidden = [
  {
    name: 'no-circular',
    comment: 'No import circle, not even a type-only one.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-unresolvable',
    comment: 'Every import resolves: a package it names is a declared dependency, a subpath one it exports.',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true },
  },
  {
    name: 'packages-never-import-apps',
    severity: 'error',
    from: { path: '^packages/' },
    to: { path: '^apps/' },
  },
  {
    name: 'apps-never-import-each-other',
    severity: 'error',
    from: { path: '^apps/([^/]+)/' },
    to: { path: '^apps/', pathNot: '^apps/$1/' },
  },
  {
    name: 'only-entry-points',
    comment:
      'Another package is imported through its entry points (its package.json `exports`), never its src/ or dist/ files.',
    severity: 'error',
    from: { path: '^(packages|apps)/([^/]+)/' },
    to: { path: '^packages/', pathNot: [`^packages/$2/`, ...entries.map((entry) => `^${literal(entry)}$`)] },
  },
  {
    name: 'dev-kit-only-in-tests-and-benches',
    comment: '@lunar/dev-kit is a devDependency: no src/ file imports it (test files next to the code may).',
    severity: 'error',
    from: { path: '^(packages|apps)/[^/]+/src/', pathNot: ['\\.test\\.ts$', `^packages/${any(DEV_ONLY)}/`] },
    to: { path: `^packages/${any(DEV_ONLY)}/` },
  },
  {
    name: 'packages-have-a-layer',
    comment: 'Every package is in LAYERS (or DEV_ONLY) of .dependency-cruiser.cjs.',
    severity: 'error',
    from: { path: '^packages/', pathNot: `^packages/${any([...layered, ...DEV_ONLY])}/` },
    to: {},
  },
  {
    name: 'dev-kit-stands-alone',
    severity: 'error',
    from: { path: `^packages/${any(DEV_ONLY)}/` },
    to: { path: '^(packages|apps)/', pathNot: `^packages/${any(DEV_ONLY)}/` },
  },
];
// A package of layer N imports no package of layer N or above (its own files aside).
LAYERS.forEach((layer, level) => {
  const sameOrHigher = LAYERS.slice(level).flat();
  for (const name of layer) {
    forbidden.push({
      name: `layer-${name}`,
      comment: `@lunar/${name} imports only packages of a lower layer (CONTRIBUTING.md, Layers).`,
      severity: 'error',
      from: { path: `^packages/${literal(name)}/` },
      to: { path: `^packages/${any(sameOrHigher)}/`, pathNot: `^packages/${literal(name)}/` },
    });
  }
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules|/dist/' },
    exclude: { path: '/node_modules/\\.vite|/\\.turbo/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.d.ts'],
    },
  },
};
