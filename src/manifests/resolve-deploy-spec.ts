import { basename } from 'node:path';
import type { AppConfig } from '../config/index.js';
import { KUBERNETES_DRAIN_DELAY_MS } from '../runtime/runtime-options.js';
import { checkFeatures, readPodDisruptionBudget } from './deploy-checks.js';
import { DeployFields, deployError } from './deploy-fields.js';
import type { AutoscalerKind, DrainMode, ProbeKind } from './deploy-options.js';
import type { DeploySpec } from './deploy-spec.js';
import { kubernetesTargetNamespace } from './kubernetes-clients.js';
import { GRACE_MARGIN_SECONDS, MANAGER, MIN_GRACE_MARGIN_SECONDS } from './manifest-constants.js';
import { OTLP_ENV_NAMES, resolveOtlpTarget } from './otlp-env.js';

/** The parts of an app's configuration the manifests depend on. */
export type ManifestConfig = Pick<
  AppConfig,
  'dir' | 'file' | 'port' | 'runtimePort' | 'drainDelayMs' | 'shutdownTimeoutMs' | 'runtime' | 'metrics' | 'health' | 'tlsCert' | 'deploy'
> &
  Partial<Pick<AppConfig, 'webPort'>>;

/** Command-line choices that win over the deploy section. */
export interface ResolveDeployOptions {
  readonly namespace?: string;
  readonly autoscaler?: string;
  /** Default name (e.g. package.json's, without scope); else the app directory's name. */
  readonly appName?: string;
  /** `kubernetes:///` targets the app's modules declare (see `findKubernetesTargets`). */
  readonly kubernetesTargets?: readonly string[];
  /** The OTLP collector URL the app's spans go to (`--otlp-endpoint`): tracing on in the pod. */
  readonly otlpEndpoint?: string;
  /** `grpc` or `http/protobuf` (default) for {@link otlpEndpoint}. */
  readonly otlpProtocol?: string;
}

const KEYS = [
  'image',
  'name',
  'namespace',
  'imagePullPolicy',
  'replicas',
  'resources',
  'autoscaler',
  'autoscaling',
  'probes',
  'drain',
  'terminationGracePeriodSeconds',
  'service',
  'serviceMonitor',
  'discovery',
  'podDisruptionBudget',
  'env',
  'labels',
];
const DNS_1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OWNED_ENV = [
  'POD_NAME',
  'POD_NAMESPACE',
  'NODE_NAME',
  'KRPC_PORT',
  'KRPC_RUNTIME_PORT',
  'KRPC_WEB_PORT',
  'KRPC_DRAIN_DELAY_MS',
  'KRPC_SHUTDOWN_TIMEOUT_MS',
];

/**
 * Validates the deploy section against the app's configuration and applies every default.
 * Pure: no I/O. Throws a `ConfigurationError` (`KRPC_CONFIG_INVALID`) naming the key and the fix.
 */
export function resolveDeploySpec(config: ManifestConfig, options: ResolveDeployOptions = {}): DeploySpec {
  const source = config.file ?? 'KRPC_DEPLOY';
  if (config.deploy === undefined) {
    throw deployError(
      source,
      'there is no deploy section',
      'add "deploy": { "image": "registry/app:tag" } to krpc.config.json (or KRPC_DEPLOY)',
    );
  }
  const d = DeployFields.of(config.deploy, 'deploy', source, KEYS);
  const image = d.string('image') ?? d.fail('image', undefined, 'the container image, e.g. "ghcr.io/acme/app:1.0.0"');
  const name = d.string('name') ?? dnsName(options.appName ?? basename(config.dir));
  if (!DNS_1035.test(name)) d.fail('name', name, 'a DNS-1035 label (lower-case letters, digits, "-", starting with a letter, ≤ 63)');
  const namespace = options.namespace ?? d.string('namespace') ?? 'default';
  if (!DNS_1123.test(namespace))
    throw deployError(source, `namespace ${JSON.stringify(namespace)} is not a DNS-1123 label`, 'use lower-case letters, digits and "-"');

  const replicas = d.object('replicas', ['min', 'max']);
  const min = replicas.integer('min', 1) ?? 2;
  const max = replicas.integer('max', 1) ?? Math.max(10, min);
  if (min > max) throw deployError(source, `deploy.replicas.min (${min}) is greater than deploy.replicas.max (${max})`, 'make min ≤ max');

  const configured = d.oneOf<AutoscalerKind>('autoscaler', ['hpa', 'keda', 'none']);
  const autoscaler = (options.autoscaler ?? configured ?? 'hpa') as AutoscalerKind;
  if (!['hpa', 'keda', 'none'].includes(autoscaler)) {
    throw deployError(source, `unknown autoscaler ${JSON.stringify(autoscaler)} (--autoscaler)`, 'use hpa, keda or none');
  }
  const scaling = d.object('autoscaling', ['inFlightTarget', 'cpuUtilization', 'scaleDownStabilizationSeconds', 'prometheusUrl']);
  const probes = d.oneOf<ProbeKind>('probes', ['grpc', 'http']) ?? (config.tlsCert ? 'http' : 'grpc');
  checkFeatures(config, source, probes, autoscaler);

  const drain = d.oneOf<DrainMode>('drain', ['app', 'preStop']) ?? 'app';
  const drainDelayMs = config.drainDelayMs ?? KUBERNETES_DRAIN_DELAY_MS;
  const preStopSleepSeconds = drain === 'preStop' ? Math.ceil(drainDelayMs / 1000) : 0;
  const waitSeconds = (drain === 'preStop' ? preStopSleepSeconds : drainDelayMs / 1000) + config.shutdownTimeoutMs / 1000;
  const least = Math.ceil(waitSeconds) + MIN_GRACE_MARGIN_SECONDS;
  const grace = d.integer('terminationGracePeriodSeconds', 1) ?? Math.ceil(waitSeconds) + GRACE_MARGIN_SECONDS;
  if (grace < least) {
    throw deployError(
      source,
      `deploy.terminationGracePeriodSeconds (${grace}) is shorter than the drain delay (${drainDelayMs} ms) + shutdown timeout (${config.shutdownTimeoutMs} ms) + ${MIN_GRACE_MARGIN_SECONDS} s: the kubelet would SIGKILL the pod mid-drain`,
      `set it to at least ${least}, or lower drainDelayMs / shutdownTimeoutMs`,
    );
  }

  const resources = d.object('resources', ['requests', 'limits']);
  const quantities = (key: string) => resources.object(key, ['cpu', 'memory']);
  const requests = quantities('requests');
  const limits = quantities('limits');
  const env = d.stringMap('env');
  const otlp = resolveOtlpTarget(options.otlpEndpoint, options.otlpProtocol);
  for (const key of Object.keys(env)) {
    if (!ENV_NAME.test(key))
      throw deployError(source, `deploy.env key ${JSON.stringify(key)} is not a variable name`, 'use letters, digits and _');
    if (OWNED_ENV.includes(key)) {
      throw deployError(
        source,
        `deploy.env sets ${key}, which the manifests derive from the app's configuration`,
        `remove it; set the matching config key (port, runtimePort, drainDelayMs, shutdownTimeoutMs) instead`,
      );
    }
  }
  const service = d.object('service', ['headless', 'clusterIP', 'trafficDistribution']);
  const headless = service.boolean('headless') ?? true;
  const clusterIP = service.boolean('clusterIP') ?? false;
  if (!headless && !clusterIP) throw deployError(source, 'deploy.service turns off both Services', 'keep headless or clusterIP on');
  const monitor = d.raw('serviceMonitor');
  const monitorFields = typeof monitor === 'object' ? d.object('serviceMonitor', ['interval', 'labels']) : undefined;
  if (monitor !== undefined && typeof monitor !== 'object') d.boolean('serviceMonitor');
  if (monitor && !(config.runtime && config.metrics)) {
    throw deployError(
      source,
      'deploy.serviceMonitor needs the runtime metrics endpoint, but runtime or metrics is off',
      'turn runtime and metrics on',
    );
  }
  const targets = [
    ...(options.kubernetesTargets ?? []),
    ...Object.entries(env)
      .filter(([k]) => k.startsWith('KRPC_TARGET_'))
      .map(([, v]) => v),
  ].filter((t) => t.startsWith('kubernetes:'));
  const discovery = d.boolean('discovery');
  if (discovery === false && targets.length > 0) {
    throw deployError(
      source,
      `deploy.discovery is false, but the app uses ${targets.join(', ')}`,
      'remove deploy.discovery (the RBAC for EndpointSlices is then generated)',
    );
  }
  const discoveryNamespaces =
    discovery || targets.length > 0 ? [...new Set([namespace, ...targets.map((t) => kubernetesTargetNamespace(t, namespace))])].sort() : [];

  return {
    name,
    namespace,
    image,
    imagePullPolicy: d.oneOf('imagePullPolicy', ['Always', 'IfNotPresent', 'Never']),
    labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': MANAGER, ...d.stringMap('labels') },
    selector: { 'app.kubernetes.io/name': name },
    replicas: { min, max },
    resources: {
      requests: { cpu: requests.string('cpu') ?? '100m', memory: requests.string('memory') ?? '128Mi' },
      limits: { cpu: limits.string('cpu'), memory: limits.string('memory') ?? '256Mi' },
    },
    autoscaler,
    inFlightTarget: scaling.positive('inFlightTarget') ?? 10,
    cpuUtilization: scaling.integer('cpuUtilization', 1, 1000),
    scaleDownStabilizationSeconds: scaling.integer('scaleDownStabilizationSeconds', 0, 3600) ?? 300,
    prometheusUrl: scaling.string('prometheusUrl') ?? 'http://prometheus-operated.monitoring.svc:9090',
    probes,
    drain,
    grpcPort: config.port,
    runtimePort: config.runtimePort,
    webPort: webPortOf(config, source),
    drainDelayMs,
    appDrainDelayMs: drain === 'preStop' ? 0 : drainDelayMs,
    preStopSleepSeconds,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    terminationGracePeriodSeconds: grace,
    service: {
      headless,
      clusterIP,
      trafficDistribution: service.oneOf('trafficDistribution', ['PreferClose', 'PreferSameZone', 'PreferSameNode']),
    },
    metricsEndpoint: config.runtime && config.metrics,
    serviceMonitor: monitor
      ? { interval: monitorFields?.string('interval') ?? '15s', labels: monitorFields?.stringMap('labels') ?? {} }
      : undefined,
    discoveryNamespaces,
    podDisruptionBudget: readPodDisruptionBudget(d),
    env: Object.entries(env)
      .filter(([k]) => otlp === undefined || !OTLP_ENV_NAMES.includes(k))
      .sort(([a], [b]) => a.localeCompare(b)),
    otlp,
  };
}

function dnsName(raw: string): string {
  const cleaned = raw
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return cleaned.slice(0, 63).replace(/-+$/, '');
}

/** The web port to expose, when the app turns it on; 0 ("any free port") cannot be a container port. */
function webPortOf(config: ManifestConfig, source: string): number | undefined {
  if (config.webPort !== 0) return config.webPort;
  throw deployError(
    source,
    'webPort is 0, which no container port or Service can name',
    'set a fixed webPort (e.g. 8080) in the config file',
  );
}
