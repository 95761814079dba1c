import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The built library (dist/src, what the package's "exports" point at) for fixtures run as child processes. */
export function buildDist(): string {
  const dist = join(resolve('.'), 'dist', 'src');
  if (!existsSync(join(dist, 'index.js'))) throw new Error(`${dist} is missing: run \`npm run build\` first`);
  return dist;
}
