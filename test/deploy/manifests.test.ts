import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Module } from '../../src/decorators/index.js';
import {
  findKubernetesTargets,
  generateManifests,
  type ManifestObject,
  manifestFileNames,
  prometheusAdapterRules,
  renderManifests,
  resolveDeploySpec,
} from '../../src/manifests/index.js';
import { expectGolden } from './support/golden.js';
import { configWith, greeterConfig } from './support/greeter-config.js';
import { at, find, validateObject } from './support/validate-object.js';

const kinds = (objects: readonly ManifestObject[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);

/** Every option turned on: discovery in two namespaces, both Services, ServiceMonitor, preStop, HTTP probes, CPU. */
const FULL = {
  image: 'registry.example/relay:2.0.0',
  name: 'relay',
  namespace: 'shop',
  imagePullPolicy: 'IfNotPresent',
  replicas: { min: 3, max: 30 },
  resources: { requests: { cpu: '250m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } },
  autoscaling: { inFlightTarget: 2.5, cpuUtilization: 70, scaleDownStabilizationSeconds: 120 },
  probes: 'http',
  drain: 'preStop',
  service: { headless: true, clusterIP: true, trafficDistribution: 'PreferClose' },
  serviceMonitor: { interval: '10s', labels: { release: 'kube-prometheus-stack' } },
  podDisruptionBudget: { minAvailable: '50%' },
  env: { KRPC_TARGET_HELLOWORLD_GREETER: 'kubernetes:///greeter.backend:grpc', LOG_FORMAT: 'json' },
  labels: { team: 'checkout' },
};

describe('krpc-app manifests for the greeter sample', () => {
  it('generates Service, Deployment, PDB and HPA, each valid against the Kubernetes schemas', async () => {
    const objects = generateManifests(resolveDeploySpec(await greeterConfig()));
    expect(kinds(objects)).toEqual([
      'Service/default/greeter',
      'Deployment/default/greeter',
      'PodDisruptionBudget/default/greeter',
      'HorizontalPodAutoscaler/default/greeter',
    ]);
    for (const object of objects) validateObject(object);
  });

  it('sets NODE_NAME once when the app has kubernetes:/// clients (zone routing) and sends traces', async () => {
    const config = await greeterConfig();
    const spec = resolveDeploySpec(config, { kubernetesTargets: ['kubernetes:///inventory:grpc'], otlpEndpoint: 'http://collector:4318' });
    const deployment = find(generateManifests(spec), 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { env: { name: string }[] }[] } } };
    };
    const names = deployment.spec.template.spec.containers[0]?.env.map((e) => e.name) ?? [];
    expect(names.filter((n) => n === 'NODE_NAME')).toHaveLength(1);
    expect(names).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(new Set(names).size).toBe(names.length);
  });

  it('matches the golden files (HPA, KEDA, everything on, prometheus-adapter rule)', async () => {
    const config = await greeterConfig();
    expectGolden('greeter.yaml', renderManifests(generateManifests(resolveDeploySpec(config)), 'yaml'));
    expectGolden(
      'greeter-keda.yaml',
      renderManifests(generateManifests(resolveDeploySpec(config, { autoscaler: 'keda', namespace: 'shop' })), 'yaml'),
    );
    const full = generateManifests(resolveDeploySpec({ ...config, deploy: FULL }, { kubernetesTargets: ['kubernetes:///inventory:grpc'] }));
    expectGolden('relay-full.yaml', renderManifests(full, 'yaml'));
    expectGolden('prometheus-adapter-rules.yaml', stringify(prometheusAdapterRules()));
  });

  it('validates every object of the KEDA and the everything-on variants', async () => {
    const config = await greeterConfig();
    const keda = generateManifests(resolveDeploySpec(config, { autoscaler: 'keda' }));
    expect(keda.map((o) => o.kind)).toEqual(['Service', 'Deployment', 'PodDisruptionBudget', 'ScaledObject']);
    const full = generateManifests(resolveDeploySpec({ ...config, deploy: FULL }, { kubernetesTargets: ['kubernetes:///inventory:grpc'] }));
    expect(kinds(full)).toEqual([
      'ServiceAccount/shop/relay',
      'Role/backend/relay-endpointslice-reader',
      'RoleBinding/backend/relay-endpointslice-reader',
      'Role/shop/relay-endpointslice-reader',
      'RoleBinding/shop/relay-endpointslice-reader',
      'ClusterRole/undefined/shop-relay-node-reader',
      'ClusterRoleBinding/undefined/shop-relay-node-reader',
      'Service/shop/relay',
      'Service/shop/relay-cluster',
      'Deployment/shop/relay',
      'PodDisruptionBudget/shop/relay',
      'HorizontalPodAutoscaler/shop/relay',
      'ServiceMonitor/shop/relay',
    ]);
    for (const object of [...keda, ...full]) validateObject(object);
    const none = generateManifests(
      resolveDeploySpec({ ...config, deploy: { image: 'x/y:1', autoscaler: 'none', podDisruptionBudget: false } }),
    );
    expect(none.map((o) => o.kind)).toEqual(['Service', 'Deployment']);
    expect(at(find(none, 'Deployment'), 'spec.replicas')).toBe(2);
    for (const object of none) validateObject(object);
  });

  it('binds the ServiceAccount in every watched namespace, and nothing without kubernetes:/// clients', async () => {
    const config = await greeterConfig();
    const full = generateManifests(resolveDeploySpec({ ...config, deploy: FULL }));
    expect(full.filter((o) => o.kind === 'RoleBinding').map((o) => o.metadata.namespace)).toEqual(['backend', 'shop']);
    for (const b of full.filter((o) => o.kind === 'RoleBinding')) {
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'relay', namespace: 'shop' }]);
    }
    for (const role of full.filter((o) => o.kind === 'Role')) {
      expect(role.rules).toEqual([{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }]);
    }
    expect(at(find(full, 'Deployment'), 'spec.template.spec.serviceAccountName')).toBe('relay');
    const plain = generateManifests(resolveDeploySpec(config));
    expect(plain.some((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind))).toBe(false);
    expect(at(find(plain, 'Deployment'), 'spec.template.spec.automountServiceAccountToken')).toBe(false);
  });

  it('gives kubernetes:/// clients their zone: NODE_NAME from the downward API, get on nodes, trafficDistribution as asked', async () => {
    const config = await greeterConfig();
    const full = generateManifests(resolveDeploySpec({ ...config, deploy: FULL }));
    const env = at<{ name: string; valueFrom?: unknown }[]>(find(full, 'Deployment'), 'spec.template.spec.containers.0.env');
    expect(env.find((e) => e.name === 'NODE_NAME')).toEqual({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    const role = find(full, 'ClusterRole');
    expect(role.metadata).not.toHaveProperty('namespace');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
    expect(find(full, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'relay', namespace: 'shop' }]);
    for (const service of full.filter((o) => o.kind === 'Service')) expect(at(service, 'spec.trafficDistribution')).toBe('PreferClose');
    const plain = generateManifests(resolveDeploySpec(config));
    expect(plain.some((o) => o.kind === 'ClusterRole')).toBe(false);
    const plainEnv = at<{ name: string }[]>(find(plain, 'Deployment'), 'spec.template.spec.containers.0.env');
    expect(plainEnv.map((e) => e.name)).not.toContain('NODE_NAME');
    expect(at(find(plain, 'Service'), 'spec.trafficDistribution')).toBeUndefined();
    expect(() => resolveDeploySpec({ ...config, deploy: { image: 'x:1', service: { trafficDistribution: 'Nearest' } } })).toThrow(
      /trafficDistribution/,
    );
  });

  it('leaves replicas to the autoscaler and scrapes each pod once', async () => {
    const config = await greeterConfig();
    const plain = generateManifests(resolveDeploySpec(config));
    expect(at(find(plain, 'Deployment'), 'spec.replicas')).toBeUndefined();
    expect(at(find(plain, 'Deployment'), 'spec.template.metadata.annotations')).toMatchObject({ 'prometheus.io/scrape': 'true' });
    const full = generateManifests(resolveDeploySpec({ ...config, deploy: FULL }));
    expect(at(find(full, 'Deployment'), 'spec.template.metadata.annotations')).toBeUndefined();
    const ports = (name: string) => at<{ name: string }[]>(find(full, 'Service', name), 'spec.ports').map((p) => p.name);
    // the greeter turns its web port on: \`http\` on both (an Ingress routes to it); \`runtime\`, which is scraped, on one
    expect(ports('relay')).toEqual(['grpc', 'runtime', 'http']);
    expect(ports('relay-cluster')).toEqual(['grpc', 'http']);
  });

  it('hardens the pod: non-root, read-only root, no capabilities, RuntimeDefault seccomp', async () => {
    const deployment = find(generateManifests(resolveDeploySpec(await greeterConfig())), 'Deployment');
    expect(at(deployment, 'spec.template.spec.securityContext')).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(at(deployment, 'spec.template.spec.containers.0.securityContext')).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('names --out files in apply order', async () => {
    const objects = generateManifests(resolveDeploySpec(await greeterConfig()));
    expect(manifestFileNames(objects, 'yaml')).toEqual([
      '01-service-default-greeter.yaml',
      '02-deployment-default-greeter.yaml',
      '03-poddisruptionbudget-default-greeter.yaml',
      '04-horizontalpodautoscaler-default-greeter.yaml',
    ]);
  });

  it('renders JSON as a v1 List', async () => {
    const objects = generateManifests(resolveDeploySpec(await configWith({})));
    const list = JSON.parse(renderManifests(objects, 'json')) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('List');
    expect(list.items).toEqual(objects);
  });
});

describe('findKubernetesTargets', () => {
  it('finds kubernetes:/// clients in the root module and its imports, once per module', () => {
    @Module({ clients: [{ service: 'inventory.Stock', target: 'kubernetes:///inventory.shop:grpc' }, 'plain.Service'] })
    class Shared {}
    @Module({ imports: [Shared], clients: [{ service: 'helloworld.Greeter', target: 'dns:///greeter:50051' }] })
    class Feature {}
    @Module({ imports: [Feature, Shared], clients: [{ service: 'billing.Pay', target: 'kubernetes:///billing:grpc' }] })
    class Root {}
    expect(findKubernetesTargets(Root)).toEqual([
      { module: 'Root', service: 'billing.Pay', target: 'kubernetes:///billing:grpc' },
      { module: 'Shared', service: 'inventory.Stock', target: 'kubernetes:///inventory.shop:grpc' },
    ]);
  });
});
