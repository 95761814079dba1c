// The fake Kubernetes API server (test/support/fake-kube-api, TypeScript) for plain Node
// scripts: vitest imports the TypeScript itself; a bench script on Node 20 (no type stripping)
// gets it compiled once by the project's tsc into node_modules/.cache, and again whenever a
// source file is newer than the output. Its one package import (yaml) resolves from there.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './children.mjs';

const SOURCE = join(ROOT, 'test', 'support', 'fake-kube-api');
const OUT = join(ROOT, 'node_modules', '.cache', 'krpc-fault-cluster', 'fake-kube-api');
const TSCONFIG = join(ROOT, 'test', 'support', 'fault-cluster', 'fake-kube-api.tsconfig.json');

function stale() {
  const entry = join(OUT, 'index.js');
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  return readdirSync(SOURCE).some((file) => file.endsWith('.ts') && statSync(join(SOURCE, file)).mtimeMs > built);
}

/** The fake API's module: `FakeKubeApi`, `endpointSlice`, …. */
export async function loadFakeKubeApi() {
  if (process.env.VITEST) return import('../fake-kube-api/index.ts');
  if (stale()) {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', TSCONFIG], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      // tsc emits despite type errors; only a missing output is fatal
      if (!existsSync(join(OUT, 'index.js'))) throw error;
      process.stderr.write(`fake-kube-api: tsc reported errors, using its output anyway:\n${error.stdout ?? ''}`);
    }
  }
  return import(pathToFileURL(join(OUT, 'index.js')).href);
}

/**
 * Starts a fake API server (HTTPS on 127.0.0.1, port 0) with a kubeconfig that trusts it;
 * give a process `KUBECONFIG=api.kubeconfigPath` to point `kubernetes:///` targets at it.
 * @param {{ token?: string, bookmarkIntervalMs?: number }} [options]
 */
export async function startFakeKubeApi(options = {}) {
  const { FakeKubeApi } = await loadFakeKubeApi();
  return FakeKubeApi.start(options);
}
