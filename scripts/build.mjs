// `npm run build`: tsc for the library (dist/src: the package's JavaScript and .d.ts files), then
// tsc for every sample that has a tsconfig.json (samples/*/dist).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = (project) => execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('tsconfig.build.json');
for (const name of readdirSync(join(root, 'samples'))) {
  const project = join('samples', name, 'tsconfig.json');
  if (!existsSync(join(root, project))) continue;
  rmSync(join(root, 'samples', name, 'dist'), { recursive: true, force: true });
  run(project);
}
