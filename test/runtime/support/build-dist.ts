import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The compiled `src/` for fixtures run as child processes: the shared `dist/src`, which
 * `npm test` builds before Vitest runs (it also holds the bundled inversify that `#inversify`
 * resolves to, so a private compile elsewhere would not load).
 */
export function buildDist(_name?: string): string {
  const dist = join(resolve('.'), 'dist', 'src');
  if (!existsSync(join(dist, 'runtime', 'index.js'))) {
    throw new Error(`${dist} is missing: run \`npm run build\` first (npm test does)`);
  }
  return dist;
}
