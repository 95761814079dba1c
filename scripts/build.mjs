// Builds the library (dist/) and then every sample (samples/*/dist) with the project's own tsc.
// dist/src is tsc's per-file output (its .d.ts files are the package's types; dependency-cruiser
// checks it); dist/bundle is the same code bundled into a few files, which package.json "exports"
// and the CLI load; dist/vendor holds the bundled inversify.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = (project) => execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
bundleInversify();
run('tsconfig.build.json');
await bundleFramework();
for (const name of readdirSync(join(root, 'samples'))) {
  const project = join('samples', name, 'tsconfig.json');
  if (existsSync(join(root, project))) {
    rmSync(join(root, 'samples', name, 'dist'), { recursive: true, force: true });
    run(project);
  }
}

/**
 * inversify 8 ships ~365 ES modules that take ~165 ms to load on Node 20; one bundled file loads
 * in ~10 ms. It is build output (dist/vendor), never committed; reflect-metadata stays external so
 * there is one metadata registry.
 */
function bundleInversify() {
  const rolldown = join(root, 'node_modules', 'rolldown', 'bin', 'cli.mjs');
  const entry = join(root, 'scripts', 'inversify-entry.mjs');
  execFileSync(
    process.execPath,
    [
      rolldown,
      entry,
      '--format',
      'esm',
      '--platform',
      'node',
      '--file',
      join(root, 'dist', 'vendor', 'inversify.js'),
      '--external',
      'reflect-metadata/lite',
      // minified: 238 → 83 kB, ~5 ms less to parse at every start (its code is never debugged here)
      '--minify',
      '--log-level',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const file = join(root, 'dist', 'vendor', 'inversify.js');
  const code = readFileSync(file, 'utf8');
  const required = requireCommonJs(code);
  if (required === code) throw new Error(`${file}: expected inversify to import reflect-metadata/lite; update scripts/build.mjs`);
  writeFileSync(file, required);
}

/**
 * Node's ES module loader spends ~100 ms resolving, compiling and linking dist/src's ~150 files on
 * every start; the same code in a few files loads in about half that. Entries: the package's three
 * export paths and the CLI, with shared chunks between them, so a process that loads several of
 * them still has one copy of every framework module. Every bare specifier (npm packages, node:
 * builtins, `#inversify`) stays external: users import those packages too, and instanceof checks
 * and registries (grpc-js, prom-client, reflect-metadata) must see the same copy. Dynamic
 * `import()`s between framework modules become separate chunks, so what loads lazily from dist/src
 * still does. Input is tsc's JS and source maps, so the bundle's maps point at src/*.ts (Node uses
 * them only with --enable-source-maps).
 */
async function bundleFramework() {
  const src = join(root, 'dist', 'src');
  const out = join(root, 'dist', 'bundle');
  const { output } = await build({
    input: {
      index: join(src, 'index.js'),
      testing: join(src, 'testing', 'index.js'),
      kubernetes: join(src, 'kubernetes', 'index.js'),
      cli: join(src, 'cli', 'main.js'),
    },
    platform: 'node',
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    logLevel: 'warn',
    plugins: [tscOutput(src, out)],
    output: {
      dir: out,
      format: 'esm',
      sourcemap: true,
      comments: false,
      charset: 'ascii',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
    },
  });
  // One copy of every framework module, and nothing reaching back into dist/src.
  const seen = new Map();
  for (const chunk of output.filter((file) => file.type === 'chunk')) {
    for (const id of chunk.moduleIds) {
      if (seen.has(id)) throw new Error(`${relative(root, id)} is in both ${seen.get(id)} and ${chunk.fileName}`);
      seen.set(id, chunk.fileName);
    }
    const reachesBack = [...chunk.imports, ...chunk.dynamicImports].filter((spec) => spec.includes('dist/src') || isAbsolute(spec));
    if (reachesBack.length > 0) throw new Error(`dist/bundle/${chunk.fileName} imports ${reachesBack.join(', ')}`);
  }
}

/**
 * Rewrites the ES imports of the CommonJS packages every start loads into `require` calls through
 * `createRequire`, each on its own line so source maps stay right: `import { a, b as c } from 'p'`
 * → `const { a, b: c } = require('p')`, `import x from 'p'` → `const x = require('p')`,
 * `export { a } from 'p'` → the same plus `export { a }`, and `import 'p'` → `require('p')`. Imported
 * from an ES module, Node 20 first runs its JavaScript lexer over a CommonJS module's source to find
 * its named exports (reflect-metadata's 51 kB, which has none, cost ~15 ms alone) and wraps it in a
 * module record; required, it just runs it. Spawn → ready, server pinned to one core, 20
 * alternating starts: 0.76 of the time before (docs/performance.md). The values are the same
 * objects; tsc has already dropped type-only imports. Used on tsc's output and on dist/vendor.
 */
function requireCommonJs(code) {
  const COMMONJS_AT_START = ['@grpc/grpc-js', '@grpc/proto-loader', 'reflect-metadata/lite'];
  const packages = COMMONJS_AT_START.map((p) => p.replace(/[/@.-]/g, '\\$&')).join('|');
  const bound = new RegExp(`^(import|export) (\\{[^}\\n]*\\}|[\\w$]+) from (["'])(${packages})\\3;$`, 'gm');
  // minified code puts the next statement on the same line
  const sideEffect = new RegExp(`^import ?(["'])(${packages})\\1;`, 'gm');
  let first = true;
  /** Defines `__krpcRequire` before its first use in the module. */
  const prelude = () => {
    if (!first) return '';
    first = false;
    return "import { createRequire as __krpcCreateRequire } from 'node:module'; const __krpcRequire = __krpcCreateRequire(import.meta.url); ";
  };
  return code
    .replace(bound, (_, kind, bindings, _quote, pkg) => {
      const braces = bindings.startsWith('{');
      if (kind === 'export' && !braces) throw new Error(`unexpected re-export of ${pkg}: ${bindings}`);
      const target = braces ? bindings.replace(/([\w$]+) as ([\w$]+)/g, '$1: $2') : bindings;
      // a re-export (`export { A as B } from`) exports the local names it binds
      const names = bindings
        .slice(1, -1)
        .replace(/[\w$]+ as /g, '')
        .trim();
      const reexport = kind === 'export' ? ` export { ${names} };` : '';
      return `${prelude()}const ${target} = __krpcRequire('${pkg}');${reexport}`;
    })
    .replace(sideEffect, (_, _quote, pkg) => `${prelude()}__krpcRequire('${pkg}');`);
}

/**
 * Loads tsc's output with its source map, and re-points `new URL('<relative>', import.meta.url)`
 * from the module's place in dist/src to dist/bundle, where every chunk lands (flat); a target that
 * does not exist fails the build.
 */
function tscOutput(src, out) {
  const relativeUrl = /new URL\((['"])(\.\.?\/[^'"]*)\1,\s*import\.meta\.url\)/g;
  return {
    name: 'tsc-output',
    load(id) {
      if (!id.startsWith(src + sep) || !id.endsWith('.js')) return null;
      const code = readFileSync(id, 'utf8')
        .replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n')
        .replace(relativeUrl, (_, quote, path) => {
          const target = resolve(dirname(id), path);
          if (!existsSync(target)) throw new Error(`${relative(root, id)}: ${path} does not exist (${target})`);
          const moved = relative(out, target).split(sep).join('/');
          return `new URL(${quote}${moved.startsWith('.') ? moved : `./${moved}`}${quote}, import.meta.url)`;
        });
      const map = existsSync(`${id}.map`) ? readFileSync(`${id}.map`, 'utf8') : null;
      return { code: requireCommonJs(code), map };
    },
  };
}
