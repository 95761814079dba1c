import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** The newest modification time of the files under `dir` whose name passes `keep` (0 when there are none). */
function newest(dir: string, keep: (name: string) => boolean): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, keep));
    else if (keep(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const isSource = (name: string) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-d.ts');

/**
 * Tests that spawn `krpc-app` or the samples run the built package (dist/ and samples/*\/dist), so
 * a test file run on its own (`npx vitest run FILE`) builds first when the build is missing or
 * older than the sources; after `npm test`'s own build this is a few stat calls.
 */
export default function setup(): void {
  // samples/greeter turns its web port (8080) on; apps a test starts get none unless the test asks (KRPC_WEB_PORT=0)
  process.env.KRPC_WEB_PORT ??= 'off';
  const samples = readdirSync(join(ROOT, 'samples')).filter((name) => existsSync(join(ROOT, 'samples', name, 'tsconfig.json')));
  const sources = Math.max(newest(join(ROOT, 'src'), isSource), ...samples.map((s) => newest(join(ROOT, 'samples', s, 'src'), isSource)));
  const built = [join(ROOT, 'dist', 'src', 'index.js'), ...samples.map((s) => join(ROOT, 'samples', s, 'dist'))];
  const stale = built.some((path) => !existsSync(path) || statSync(path).mtimeMs < sources);
  if (!stale) return;
  process.stderr.write('test setup: dist/ is missing or older than src/; running `npm run build`\n');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
