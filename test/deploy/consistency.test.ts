import { request } from 'node:http';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/index.js';
import { FIELD_MANAGER, parseKubernetesTarget } from '../../src/kubernetes/index.js';
import {
  GRACE_MARGIN_SECONDS,
  generateManifests,
  IN_FLIGHT_METRIC,
  inFlightQuery,
  kubernetesTargetNamespace,
  MANAGER,
  type ManifestObject,
  prometheusAdapterRules,
  resolveDeploySpec,
} from '../../src/manifests/index.js';
import {
  KUBERNETES_DRAIN_DELAY_MS,
  LIVENESS_SERVICE,
  ProbeServer,
  READINESS_SERVICE,
  resolveRuntimeSettings,
  ServerMetrics,
} from '../../src/runtime/index.js';
import { configWith, greeterConfig } from './support/greeter-config.js';
import { at, find } from './support/validate-object.js';

type Container = {
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string }[];
  readinessProbe: Record<string, { port: number | string; service?: string; path?: string }>;
  livenessProbe: Record<string, { port: number | string; service?: string; path?: string }>;
  startupProbe: Record<string, { port: number | string; service?: string; path?: string }>;
  lifecycle?: { preStop: { sleep: { seconds: number } } };
};
const containerOf = (objects: ManifestObject[]) => at<Container>(find(objects, 'Deployment'), 'spec.template.spec.containers.0');
const graceOf = (objects: ManifestObject[]) => at<number>(find(objects, 'Deployment'), 'spec.template.spec.terminationGracePeriodSeconds');
const containerEnv = (c: Container) =>
  Object.fromEntries(c.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('manifests agree with the runtime', () => {
  it('gRPC probes ask the runtime health services on the configured gRPC port', async () => {
    const config = await configWith({ port: 6000, runtimePort: 9100, deploy: { image: 'x/y:1' } });
    const c = containerOf(generateManifests(resolveDeploySpec(config)));
    expect(c.ports).toEqual([
      { name: 'grpc', containerPort: 6000, protocol: 'TCP' },
      { name: 'runtime', containerPort: 9100, protocol: 'TCP' },
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(c.readinessProbe.grpc).toEqual({ port: 6000, service: READINESS_SERVICE });
    expect(c.livenessProbe.grpc).toEqual({ port: 6000, service: LIVENESS_SERVICE });
    expect(c.startupProbe.grpc).toEqual({ port: 6000, service: LIVENESS_SERVICE });
  });

  it('HTTP probe and scrape paths are the ones the runtime ProbeServer answers', async () => {
    const config = await configWith({ deploy: { image: 'x/y:1', probes: 'http' } });
    const objects = generateManifests(resolveDeploySpec(config));
    const c = containerOf(objects);
    const annotations = at<Record<string, string>>(find(objects, 'Deployment'), 'spec.template.metadata.annotations');
    expect(annotations['prometheus.io/port']).toBe(String(config.runtimePort));
    const registry = new Registry();
    new ServerMetrics({ registry });
    const server = new ProbeServer({ live: () => true, readiness: async () => ({ ready: true, body: {} }), registry });
    const { port } = await server.listen('127.0.0.1', 0);
    try {
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        expect(probe.httpGet?.port).toBe('runtime');
        expect(await get(port, probe.httpGet?.path as string)).toBe(200);
      }
      expect(await get(port, annotations['prometheus.io/path'] as string)).toBe(200);
      expect(await get(port, '/not-a-probe')).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('the autoscalers scale on the in-flight gauge the runtime registers', async () => {
    const registry = new Registry();
    new ServerMetrics({ registry });
    expect(registry.getSingleMetric(IN_FLIGHT_METRIC)).toBeDefined();
    expect((await registry.getMetricsAsJSON()).find((m) => m.name === IN_FLIGHT_METRIC)?.type).toBe('gauge');
    const config = await greeterConfig();
    const hpa = find(generateManifests(resolveDeploySpec(config)), 'HorizontalPodAutoscaler');
    expect(at(hpa, 'spec.metrics.0.pods.metric.name')).toBe(IN_FLIGHT_METRIC);
    expect(at(hpa, 'spec.metrics.0.pods.target')).toEqual({ type: 'AverageValue', averageValue: '8' });
    const rule = at<{ seriesQuery: string; name: { as: string } }[]>(prometheusAdapterRules(), 'rules.custom');
    expect(rule[0]?.seriesQuery.startsWith(`${IN_FLIGHT_METRIC}{`)).toBe(true);
    expect(rule[0]?.name.as).toBe(IN_FLIGHT_METRIC);
    const spec = resolveDeploySpec(config, { autoscaler: 'keda' });
    const scaled = find(generateManifests(spec), 'ScaledObject');
    expect(at(scaled, 'spec.triggers.0.metadata')).toMatchObject({ query: inFlightQuery(spec), threshold: '8' });
    expect(inFlightQuery(spec)).toContain(`${IN_FLIGHT_METRIC}{namespace="default"`);
  });

  it('the container environment makes the runtime and config use the values the manifests assume', async () => {
    for (const deploy of [{ image: 'x/y:1' }, { image: 'x/y:1', drain: 'preStop' }]) {
      const config = await configWith({ port: 7001, runtimePort: 9101, drainDelayMs: 3000, shutdownTimeoutMs: 20_000, deploy });
      const spec = resolveDeploySpec(config);
      const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', ...containerEnv(containerOf(generateManifests(spec))) };
      const settings = resolveRuntimeSettings({ env });
      expect(settings).toMatchObject({ port: 9101, drainDelayMs: spec.appDrainDelayMs, shutdownTimeoutMs: 20_000 });
      const inPod = await loadAppConfig(config.dir, { env });
      expect(inPod).toMatchObject({ port: 7001, runtimePort: 9101, drainDelayMs: spec.appDrainDelayMs, shutdownTimeoutMs: 20_000 });
    }
  });

  it('in Kubernetes the drain delay defaults to the runtime default, counted once: app drain or preStop sleep', async () => {
    const appDrain = resolveDeploySpec(await configWith({ drainDelayMs: undefined, deploy: { image: 'x/y:1' } }));
    expect(appDrain.drainDelayMs).toBe(KUBERNETES_DRAIN_DELAY_MS);
    expect(appDrain).toMatchObject({ appDrainDelayMs: KUBERNETES_DRAIN_DELAY_MS, preStopSleepSeconds: 0 });
    expect(containerOf(generateManifests(appDrain)).lifecycle).toBeUndefined();
    const preStop = resolveDeploySpec(await configWith({ drainDelayMs: undefined, deploy: { image: 'x/y:1', drain: 'preStop' } }));
    expect(preStop).toMatchObject({ appDrainDelayMs: 0, preStopSleepSeconds: KUBERNETES_DRAIN_DELAY_MS / 1000 });
    expect(containerOf(generateManifests(preStop)).lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(preStop.terminationGracePeriodSeconds).toBe(appDrain.terminationGracePeriodSeconds);
  });

  it('the grace period covers drain delay + shutdown timeout (+ margin) for every combination', async () => {
    for (const drainDelayMs of [undefined, 0, 1, 999, 1000, 5000, 12_345]) {
      for (const shutdownTimeoutMs of [0, 1500, 10_000, 60_000]) {
        for (const drain of ['app', 'preStop']) {
          const spec = resolveDeploySpec(await configWith({ drainDelayMs, shutdownTimeoutMs, deploy: { image: 'x/y:1', drain } }));
          const grace = graceOf(generateManifests(spec));
          const waitMs = spec.preStopSleepSeconds * 1000 + spec.appDrainDelayMs + shutdownTimeoutMs;
          expect(grace * 1000).toBeGreaterThanOrEqual(waitMs + 1000);
          expect(spec.preStopSleepSeconds * 1000 + spec.appDrainDelayMs).toBeGreaterThanOrEqual(spec.drainDelayMs);
          expect(spec.preStopSleepSeconds * 1000 + spec.appDrainDelayMs).toBeLessThan(spec.drainDelayMs + 1000);
          expect(grace).toBe(Math.ceil(waitMs / 1000) + GRACE_MARGIN_SECONDS);
        }
      }
    }
  });

  it('deploy applies with the field manager the objects are labelled with', () => {
    expect(FIELD_MANAGER).toBe(MANAGER);
  });

  it('reads target namespaces the way the kubernetes:/// resolver does', () => {
    for (const path of ['greeter:grpc', 'greeter.shop:grpc', 'greeter.shop.svc:50051', 'greeter.shop.svc.cluster.local:grpc']) {
      expect(kubernetesTargetNamespace(`kubernetes:///${path}`, 'default')).toBe(parseKubernetesTarget(path, 'default').namespace);
    }
  });
});
