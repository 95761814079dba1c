import { LIVENESS_SERVICE, READINESS_SERVICE } from '../runtime/health-services.js';
import type { DeploySpec } from './deploy-spec.js';
import { PORT_NAMES, RUNTIME_PATHS } from './manifest-constants.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';
import { otlpContainerEnv } from './otlp-env.js';

/**
 * The Deployment: ports `grpc` and `runtime`; gRPC (or HTTP) readiness, liveness and startup
 * probes; the drain wait in the app (or a `preStop` sleep) within `terminationGracePeriodSeconds`;
 * downward-API `POD_NAME`/`POD_NAMESPACE` (and `NODE_NAME` with discovery, for the zone, or tracing); a non-root, read-only, capability-free container.
 * `replicas` is left out when an autoscaler owns it, so re-applying does not reset the scale.
 */
export function buildDeployment(spec: DeploySpec): ManifestObject {
  const scrape = spec.metricsEndpoint && spec.serviceMonitor === undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(spec),
    spec: {
      ...(spec.autoscaler === 'none' ? { replicas: spec.replicas.min } : {}),
      selector: { matchLabels: { ...spec.selector } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: { ...spec.labels },
          ...(scrape
            ? {
                annotations: {
                  'prometheus.io/scrape': 'true',
                  'prometheus.io/port': String(spec.runtimePort),
                  'prometheus.io/path': RUNTIME_PATHS.metrics,
                },
              }
            : {}),
        },
        spec: {
          ...(spec.discoveryNamespaces.length > 0 ? { serviceAccountName: spec.name } : { automountServiceAccountToken: false }),
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container(spec)],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function container(spec: DeploySpec): Record<string, unknown> {
  return {
    name: spec.name,
    image: spec.image,
    ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy } : {}),
    ports: [
      { name: PORT_NAMES.grpc, containerPort: spec.grpcPort, protocol: 'TCP' },
      { name: PORT_NAMES.runtime, containerPort: spec.runtimePort, protocol: 'TCP' },
      ...(spec.webPort === undefined ? [] : [{ name: PORT_NAMES.web, containerPort: spec.webPort, protocol: 'TCP' }]),
    ],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      // the resolver reads this Node's zone label for zone-aware routing; traces name the node
      ...(spec.discoveryNamespaces.length > 0 || spec.otlp
        ? [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]
        : []),
      { name: 'KRPC_PORT', value: String(spec.grpcPort) },
      { name: 'KRPC_RUNTIME_PORT', value: String(spec.runtimePort) },
      ...(spec.webPort === undefined ? [] : [{ name: 'KRPC_WEB_PORT', value: String(spec.webPort) }]),
      { name: 'KRPC_DRAIN_DELAY_MS', value: String(spec.appDrainDelayMs) },
      { name: 'KRPC_SHUTDOWN_TIMEOUT_MS', value: String(spec.shutdownTimeoutMs) },
      ...spec.env.map(([name, value]) => ({ name, value })),
      ...(spec.otlp ? otlpContainerEnv(spec.otlp, spec.name) : []),
    ],
    resources: {
      requests: { ...spec.resources.requests },
      limits: Object.fromEntries(Object.entries(spec.resources.limits).filter(([, v]) => v !== undefined)),
    },
    ...probes(spec),
    ...(spec.preStopSleepSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: spec.preStopSleepSeconds } } } } : {}),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

function probes(spec: DeploySpec): Record<string, unknown> {
  const ready =
    spec.probes === 'grpc'
      ? { grpc: { port: spec.grpcPort, service: READINESS_SERVICE } }
      : { httpGet: { path: RUNTIME_PATHS.readiness, port: PORT_NAMES.runtime } };
  const live =
    spec.probes === 'grpc'
      ? { grpc: { port: spec.grpcPort, service: LIVENESS_SERVICE } }
      : { httpGet: { path: RUNTIME_PATHS.liveness, port: PORT_NAMES.runtime } };
  return {
    startupProbe: { ...live, periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: { ...live, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: { ...ready, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 1 },
  };
}
