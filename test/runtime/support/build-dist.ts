import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The built library for fixtures run as child processes: the bundle that the package's "exports"
 * point at (`dist/bundle`, holding index.js), which `npm test` builds before Vitest runs. Its
 * `#inversify` import resolves to dist/vendor, so a private compile elsewhere would not load.
 */
export function buildDist(_name?: string): string {
  const dist = join(resolve('.'), 'dist', 'bundle');
  if (!existsSync(join(dist, 'index.js'))) {
    throw new Error(`${dist} is missing: run \`npm run build\` first (npm test does)`);
  }
  return dist;
}
