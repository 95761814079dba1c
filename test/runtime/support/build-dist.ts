import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Compiles `src/` into a private directory under node_modules/.cache (so Node resolves the
 * dependencies, and the shared dist/ is left alone) for fixtures run as child processes; returns
 * the path of the compiled `src`. Type errors elsewhere in the tree do not stop the emit.
 */
export function buildDist(name: string): string {
  const root = resolve('.');
  const out = join(root, 'node_modules', '.cache', name);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out, '--sourceMap', 'false', '--declaration', 'false'], {
      cwd: root,
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (error) {
    if (!existsSync(join(out, 'src', 'runtime', 'index.js'))) throw error;
  }
  return join(out, 'src');
}
