import type { AutoscalerKind, DrainMode, ProbeKind, ResourceQuantities, TrafficDistribution } from './deploy-options.js';
import type { OtlpTarget } from './otlp-env.js';

/** Everything the object builders need, validated and with every default applied. */
export interface DeploySpec {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never' | undefined;
  /** Labels of every object: the selector labels, `app.kubernetes.io/managed-by` and the user's. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod selector (`app.kubernetes.io/name`). */
  readonly selector: Readonly<Record<string, string>>;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly resources: { readonly requests: ResourceQuantities; readonly limits: ResourceQuantities };
  readonly autoscaler: AutoscalerKind;
  readonly inFlightTarget: number;
  readonly cpuUtilization: number | undefined;
  readonly scaleDownStabilizationSeconds: number;
  readonly prometheusUrl: string;
  readonly probes: ProbeKind;
  readonly drain: DrainMode;
  readonly grpcPort: number;
  readonly runtimePort: number;
  /** The web port (Connect, gRPC-Web), when the app turns it on. */
  readonly webPort: number | undefined;
  /** The configured drain delay (the Kubernetes default 5000 ms when unset). */
  readonly drainDelayMs: number;
  /** What the container's `KRPC_DRAIN_DELAY_MS` is set to: the drain delay, or 0 with `drain: preStop`. */
  readonly appDrainDelayMs: number;
  /** The `preStop` sleep (0: no hook). */
  readonly preStopSleepSeconds: number;
  readonly shutdownTimeoutMs: number;
  readonly terminationGracePeriodSeconds: number;
  readonly service: {
    readonly headless: boolean;
    readonly clusterIP: boolean;
    readonly trafficDistribution: TrafficDistribution | undefined;
  };
  /** The runtime serves `/metrics` (runtime and metrics on). */
  readonly metricsEndpoint: boolean;
  readonly serviceMonitor: { readonly interval: string; readonly labels: Readonly<Record<string, string>> } | undefined;
  /** Namespaces whose EndpointSlices the app watches (empty: no ServiceAccount/Role/RoleBinding). */
  readonly discoveryNamespaces: readonly string[];
  readonly podDisruptionBudget: { readonly maxUnavailable?: number | string; readonly minAvailable?: number | string } | undefined;
  /** Extra environment variables, sorted by name. */
  readonly env: readonly (readonly [string, string])[];
  /** The collector the app sends its spans to (`--otlp-endpoint`), if any. */
  readonly otlp?: OtlpTarget | undefined;
}
