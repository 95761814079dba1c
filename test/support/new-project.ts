import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './krpc-process.js';

const run = promisify(execFile);

/**
 * No install at all: the project's node_modules links this repository as kubernetes-rpc, and its
 * installed tools. For tests of the watch loop; the test of `new` installs the packed tarball.
 */
export function linkDependencies(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'kubernetes-rpc'));
  for (const name of ['@grpc', 'typescript', 'vitest', '@types/node'])
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
}

/** `npm pack` of this repository (its built dist/), as a user's registry would serve it. */
export async function packFramework(): Promise<string> {
  const into = mkdtempSync(join(tmpdir(), 'krpc-pack-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', into], {
    cwd: ROOT,
    timeout: 120_000,
  });
  return join(into, stdout.trim().split('\n').at(-1) ?? '');
}

/**
 * `npm install --offline` of a generated project, with kubernetes-rpc from `tarball` and every
 * other package from the npm cache. Offline npm cannot resolve version ranges (the cache holds
 * tarballs, not the registry's version lists), so the project gets a package-lock.json first:
 * the versions this repository's own lockfile pins (all in the cache since its `npm ci`), plus
 * the tarball. npm prunes what the project does not need. Resolves with the install's duration.
 */
export async function installOffline(dir: string, tarball: string): Promise<number> {
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const project = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const framework = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packages: Record<string, unknown> = {};
  for (const [path, entry] of Object.entries(repoLock.packages)) if (path.startsWith('node_modules/')) packages[path] = entry;
  packages['node_modules/kubernetes-rpc'] = {
    version: framework.version,
    resolved: `file:${relative(dir, tarball)}`,
    integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
    dependencies: framework.dependencies,
    bin: framework.bin,
    engines: framework.engines,
  };
  const { name, version, dependencies, devDependencies } = project;
  packages[''] = { name, version, dependencies, devDependencies };
  const lock = { name, version, lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  const started = performance.now();
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir, timeout: 240_000 });
  return performance.now() - started;
}
