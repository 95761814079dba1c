import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT_NODE = '@kubernetes/client-node';

/** Files reachable from `entry` through static (value) imports and re-exports. */
function staticGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm))
      specifiers.push(match[1] ?? '');
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return graph;
}

describe('@kubernetes/client-node is loaded only for kubernetes:/// targets', () => {
  it.each(['src/index.ts', 'src/kubernetes/index.ts', 'src/balancing/index.ts'])('is not in the static import graph of %s', (entry) => {
    const graph = staticGraph(join(root, entry));
    expect(graph.size).toBeGreaterThan(1);
    const offenders = [...graph].filter(([, specifiers]) => specifiers.some((s) => s.startsWith(CLIENT_NODE))).map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('is imported in src/ only by kube-client.ts, dynamically', () => {
    const source = readFileSync(join(root, 'src/kubernetes/kube-client.ts'), 'utf8');
    expect(source).toContain(`await import('${CLIENT_NODE}')`);
    expect(source.match(/^import .*@kubernetes\/client-node/gm)?.every((line) => line.startsWith('import type'))).toBe(true);
  });

  it('is not loaded by an app that registers the resolver but calls a dns target, and is once a kubernetes:/// target is used', async () => {
    const loaded: string[] = [];
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (url: string) => loaded.push(url));
    port1.unref();
    register(pathToFileURL(join(root, 'test/kubernetes/record-imports-hook.mjs')), { data: { port: port2 }, transferList: [port2] });
    const flush = async (tag: string) => {
      const sentinel = `data:text/javascript,export default ${JSON.stringify(tag)}`;
      await import(/* @vite-ignore */ sentinel);
      const deadline = Date.now() + 5000;
      while (!loaded.includes(sentinel) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(loaded).toContain(sentinel);
    };

    const { registerKubernetesResolver } = await import('../../src/kubernetes/index.js');
    const { registerLeastRequestBalancer } = await import('../../src/balancing/index.js');
    const { FakeKubeApi } = await import('../support/fake-kube-api/index.js');
    const { greeterClient, startGreeterReplicas, withPolicy } = await import('./greeter-replicas.js');
    const { silentLogger } = await import('../../src/logging/index.js');
    const api = await FakeKubeApi.start();
    const replicas = await startGreeterReplicas(['127.0.0.2']);
    const registration = registerKubernetesResolver({ kubeconfigPath: api.kubeconfigPath, logger: silentLogger() });
    registerLeastRequestBalancer();
    try {
      const direct = await greeterClient(`127.0.0.2:${replicas.port}`, withPolicy('least_request'));
      expect(await direct.hello()).toBe('127.0.0.2');
      direct.close();
      await flush('after-dns-call');
      expect(loaded.filter((url) => url.includes(CLIENT_NODE))).toEqual([]);

      api.upsertEndpointSlice({
        service: 'greeter',
        name: 'greeter-1',
        ports: [{ name: 'grpc', port: replicas.port }],
        endpoints: [{ ip: '127.0.0.2' }],
      });
      const viaKubernetes = await greeterClient('kubernetes:///greeter.default:grpc', withPolicy('round_robin'));
      expect(await viaKubernetes.hello({ waitForReady: true })).toBe('127.0.0.2');
      viaKubernetes.close();
      await flush('after-kubernetes-call');
      expect(loaded.some((url) => url.includes(CLIENT_NODE))).toBe(true);
    } finally {
      registration.close();
      await replicas.close();
      await api.close();
    }
  });
});
