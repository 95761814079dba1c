import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApplyResult, applyObjects, describeApplyResult } from '../../src/kubernetes/index.js';
import { generateManifests, type ManifestObject, resolveDeploySpec } from '../../src/manifests/index.js';
import { API_RESOURCES, FakeKubeApi } from '../support/fake-kube-api/index.js';
import { greeterConfig } from './support/greeter-config.js';
import { runCli } from './support/run-cli.js';

let api: FakeKubeApi;
let objects: ManifestObject[];
beforeAll(async () => {
  api = await FakeKubeApi.start();
  const config = await greeterConfig();
  const deploy = { ...config.deploy, serviceMonitor: true, service: { clusterIP: true } };
  objects = generateManifests(resolveDeploySpec({ ...config, deploy }, { kubernetesTargets: ['kubernetes:///inventory:grpc'] }));
});
afterAll(() => api.close());
beforeEach(() => {
  api.apply.reset();
  for (const { group, version, resource } of API_RESOURCES) {
    const collection = `${group}/${version}/${resource}`;
    for (const o of api.store.list({ collection, namespace: '' }).items)
      api.store.delete(collection, o.metadata.namespace ?? '', o.metadata.name);
  }
});

const summary = (results: ApplyResult[]) =>
  results.map((r) => (r.ok ? `${r.object.kind} ${r.action}` : `${r.object.kind} ${r.status} ${r.reason}`));

describe('applyObjects against the fake API server', () => {
  it('server-side applies every object: PATCH, apply-patch+yaml, fieldManager=krpc-app; 201 created then 200 configured', async () => {
    const first = await applyObjects(objects, { kubeconfigPath: api.kubeconfigPath });
    expect(first.every((r) => r.ok && r.action === 'created')).toBe(true);
    expect(api.apply.applied).toHaveLength(objects.length);
    for (const [i, request] of api.apply.applied.entries()) {
      expect(request).toMatchObject({
        contentType: 'application/apply-patch+yaml',
        fieldManager: 'krpc-app',
        dryRun: undefined,
        status: 201,
      });
      // client-node serialises built-in kinds through its typed models: equality means no field was dropped
      expect(request.body).toEqual(objects[i]);
    }
    expect(api.apply.applied.map((r) => r.path)).toContain('/apis/apps/v1/namespaces/default/deployments/greeter');
    const second = await applyObjects(objects, { kubeconfigPath: api.kubeconfigPath });
    expect(second.every((r) => r.ok && r.action === 'configured')).toBe(true);
    expect(describeApplyResult(second.find((r) => r.object.kind === 'Deployment') as ApplyResult)).toBe(
      'deployment.apps/greeter (namespace default) configured',
    );
  });

  it('sends preStop sleep, HTTP probes and KEDA objects through client-node without dropping a field', async () => {
    const config = await greeterConfig();
    const variant = generateManifests(
      resolveDeploySpec({ ...config, deploy: { ...config.deploy, drain: 'preStop', probes: 'http', autoscaler: 'keda' } }),
    );
    const results = await applyObjects(variant, { kubeconfigPath: api.kubeconfigPath, dryRun: true });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(api.apply.applied.map((r) => r.body)).toEqual(variant);
  });

  it('--dry-run sends dryRun=All and stores nothing', async () => {
    const results = await applyObjects(objects, { kubeconfigPath: api.kubeconfigPath, dryRun: true });
    expect(results.every((r) => r.ok && r.dryRun && r.action === 'created')).toBe(true);
    expect(api.apply.applied.every((r) => r.dryRun === 'All')).toBe(true);
    expect(api.store.get('apps/v1/deployments', 'default', 'greeter')).toBeUndefined();
    expect(describeApplyResult(results[0] as ApplyResult)).toMatch(/created \(server dry run\)$/);
  });

  it('reports 403 and 422 with the reason and message, and still applies the rest', async () => {
    api.apply.reject({ kind: 'Role', code: 403 });
    api.apply.reject({
      kind: 'Deployment',
      code: 422,
      message: 'Deployment.apps "greeter" is invalid: spec.template.spec.containers[0].image: Required value',
    });
    const results = await applyObjects(objects, { kubeconfigPath: api.kubeconfigPath });
    expect(summary(results)).toEqual([
      'ServiceAccount created',
      'Role 403 Forbidden',
      'RoleBinding created',
      'ClusterRole created',
      'ClusterRoleBinding created',
      'Service created',
      'Service created',
      'Deployment 422 Invalid',
      'PodDisruptionBudget created',
      'HorizontalPodAutoscaler created',
      'ServiceMonitor created',
    ]);
    const role = results[1] as Extract<ApplyResult, { ok: false }>;
    expect(role.message).toMatch(
      /roles\.rbac\.authorization\.k8s\.io "greeter-endpointslice-reader" is forbidden: .* cannot patch resource "roles"/,
    );
    expect(describeApplyResult(results[7] as ApplyResult)).toBe(
      'deployment.apps/greeter (namespace default) failed: 422 Invalid: Deployment.apps "greeter" is invalid: spec.template.spec.containers[0].image: Required value',
    );
  });

  it('names a missing CRD instead of failing obscurely', async () => {
    api.apply.setGroupInstalled('monitoring.coreos.com', false);
    const results = await applyObjects(objects, { kubeconfigPath: api.kubeconfigPath, dryRun: true });
    const failed = results.filter((r) => !r.ok);
    expect(summary(failed)).toEqual(['ServiceMonitor 404 UnknownKind']);
    expect(describeApplyResult(failed[0] as ApplyResult)).toMatch(
      /monitoring\.coreos\.com\/v1 ServiceMonitor is not served by this cluster \(is its CRD installed\?/,
    );
  });
});

describe('krpc-app deploy (built CLI) against the fake API server', () => {
  it('applies the greeter sample and prints created, then configured', async () => {
    const first = await runCli(['deploy', 'samples/greeter', '--kubeconfig', api.kubeconfigPath, '--namespace', 'shop']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual([
      'service/greeter (namespace shop) created',
      'deployment.apps/greeter (namespace shop) created',
      'poddisruptionbudget.policy/greeter (namespace shop) created',
      'horizontalpodautoscaler.autoscaling/greeter (namespace shop) created',
    ]);
    expect(api.apply.applied.every((r) => r.fieldManager === 'krpc-app' && r.contentType === 'application/apply-patch+yaml')).toBe(true);
    const second = await runCli(['deploy', 'samples/greeter', '--kubeconfig', api.kubeconfigPath, '--namespace', 'shop']);
    expect(second.stdout).toMatch(/deployment\.apps\/greeter \(namespace shop\) configured/);
  });

  it('--dry-run passes dryRun=All', async () => {
    const { code, stdout } = await runCli(['deploy', 'samples/greeter', '--kubeconfig', api.kubeconfigPath, '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/deployment\.apps\/greeter \(namespace default\) created \(server dry run\)/);
    expect(api.apply.applied.length).toBeGreaterThan(0);
    expect(api.apply.applied.every((r) => r.dryRun === 'All')).toBe(true);
  });

  it('exits 1 with the object, the reason and the message on a 403', async () => {
    api.apply.reject({ kind: 'HorizontalPodAutoscaler', code: 403 });
    const { code, stdout, stderr } = await runCli(['deploy', 'samples/greeter', '--kubeconfig', api.kubeconfigPath]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/deployment\.apps\/greeter \(namespace default\) (created|configured)/);
    expect(stderr).toMatch(
      /horizontalpodautoscaler\.autoscaling\/greeter \(namespace default\) failed: 403 Forbidden: .*cannot patch resource "horizontalpodautoscalers"/,
    );
    expect(stderr).toMatch(/"kind":"HorizontalPodAutoscaler"/);
    expect(stderr).toMatch(/1 of 4 objects failed to apply/);
  });

  it('writes nothing to the cluster when the deploy section is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krpc-bad-deploy-'));
    writeFileSync(join(dir, 'krpc.config.json'), JSON.stringify({ deploy: { image: 'x/y:1', replicas: { min: 9, max: 1 } } }));
    const { code, stderr } = await runCli(['deploy', dir, '--kubeconfig', api.kubeconfigPath]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/deploy\.replicas\.min \(9\) is greater than deploy\.replicas\.max \(1\)/);
    expect(api.apply.applied).toHaveLength(0);
  });
});
