import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { generateManifests, type ManifestObject, renderManifests, resolveDeploySpec } from '../../src/manifests/index.js';
import { greeterConfig } from './support/greeter-config.js';
import { runCli } from './support/run-cli.js';
import { validateObject } from './support/validate-object.js';

const temp: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** An app directory with only a config (no module: `discovery` is declared, so nothing is imported). */
function appDir(deploy: unknown): string {
  const dir = tempDir('krpc-deploy-app-');
  writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ module: './dist/app.module.js', deploy }));
  return dir;
}

describe('krpc-app manifests (built CLI)', () => {
  it('takes nothing from the shell: KRPC_ variables of the operator do not reach the objects', async () => {
    const plain = await runCli(['manifests', 'samples/greeter', '-f', 'json']);
    const shell = await runCli(['manifests', 'samples/greeter', '-f', 'json'], {
      KRPC_PORT: '12345',
      KRPC_RUNTIME_PORT: '9999',
      KRPC_DRAIN_DELAY_MS: '1',
    });
    expect(shell.code).toBe(0);
    expect(shell.stdout).toBe(plain.stdout);
    expect(shell.stdout).not.toMatch(/12345|9999/);
    expect(shell.stdout).toMatch(/"containerPort": 50051/);
  });

  it('prints the greeter objects as multi-document YAML, identical to the library output', async () => {
    const { code, stdout, stderr } = await runCli(['manifests', 'samples/greeter']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS() as ManifestObject);
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']);
    for (const object of objects) validateObject(object);
    expect(stdout).toBe(renderManifests(generateManifests(resolveDeploySpec(await greeterConfig())), 'yaml'));
  });

  it('--format json --autoscaler keda --namespace prints a v1 List', async () => {
    const { code, stdout } = await runCli([
      'manifests',
      'samples/greeter',
      '--format',
      'json',
      '--autoscaler',
      'keda',
      '--namespace',
      'shop',
    ]);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { kind: string; items: ManifestObject[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((o) => `${o.kind}/${o.metadata.namespace}`)).toEqual([
      'Service/shop',
      'Deployment/shop',
      'PodDisruptionBudget/shop',
      'ScaledObject/shop',
    ]);
    for (const object of list.items) validateObject(object);
  });

  it('--out writes one file per object, numbered in apply order', async () => {
    const out = tempDir('krpc-manifests-');
    const { code, stdout } = await runCli(['manifests', 'samples/greeter', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote 4 objects/);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      '01-service-default-greeter.yaml',
      '02-deployment-default-greeter.yaml',
      '03-poddisruptionbudget-default-greeter.yaml',
      '04-horizontalpodautoscaler-default-greeter.yaml',
    ]);
    expect(readFileSync(join(out, files[1] as string), 'utf8')).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
  });

  it('--adapter-rules prints the prometheus-adapter rule', async () => {
    const { code, stdout } = await runCli(['manifests', 'samples/greeter', '--adapter-rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/seriesQuery: krpc_server_in_flight_requests\{namespace!="",pod!=""\}/);
  });

  it.each([
    ['a missing image', { discovery: false }, /deploy\.image must be the container image/],
    [
      'min > max',
      { image: 'x/y:1', discovery: false, replicas: { min: 4, max: 2 } },
      /deploy\.replicas\.min \(4\) is greater than deploy\.replicas\.max \(2\)/,
    ],
    ['an unknown autoscaler', { image: 'x/y:1', discovery: false, autoscaler: 'vpa' }, /deploy\.autoscaler must be one of hpa, keda, none/],
    [
      'a grace period too short',
      { image: 'x/y:1', discovery: false, terminationGracePeriodSeconds: 3 },
      /terminationGracePeriodSeconds \(3\) is shorter/,
    ],
  ])('refuses %s with exit 1, the error on stderr and nothing on stdout', async (_name, deploy, message) => {
    const { code, stdout, stderr } = await runCli(['manifests', appDir(deploy)]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/krpc-app: error KRPC_CONFIG_INVALID/);
    expect(stderr).toMatch(message);
  });

  it('refuses --out on bad input without creating files', async () => {
    const out = join(tempDir('krpc-manifests-'), 'out');
    const { code } = await runCli(['manifests', appDir({ discovery: false }), '--out', out]);
    expect(code).toBe(1);
    expect(() => readdirSync(out)).toThrow();
  });

  it('asks for a build when discovery must be detected from an unbuilt module', async () => {
    const { code, stdout, stderr } = await runCli(['manifests', appDir({ image: 'x/y:1' })]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Root module file not found/);
  });

  it('exits 2 for a bad --format or --autoscaler', async () => {
    expect((await runCli(['manifests', 'samples/greeter', '--format', 'xml'])).code).toBe(2);
    const bad = await runCli(['manifests', 'samples/greeter', '--autoscaler', 'vpa']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});
