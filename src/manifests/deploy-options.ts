/** Resource quantities of one kind (`cpu: '250m'`, `memory: '256Mi'`). */
export interface ResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

/** Which autoscaler scales the Deployment. */
export type AutoscalerKind = 'hpa' | 'keda' | 'none';

/** The Services' `trafficDistribution`: prefer endpoints close to the client (zone hints on the EndpointSlices). */
export type TrafficDistribution = 'PreferClose' | 'PreferSameZone' | 'PreferSameNode';

/** Which probes the kubelet uses: native gRPC health checks, or the runtime's HTTP `/readyz` `/livez`. */
export type ProbeKind = 'grpc' | 'http';

/**
 * Who waits for the endpoint removal to reach every client after termination starts:
 * `app` — the runtime's drain delay after SIGTERM (readiness goes 503 at once); `preStop` — a
 * `preStop` sleep before SIGTERM, with the app's drain delay set to 0. Never both.
 */
export type DrainMode = 'app' | 'preStop';

/**
 * The `deploy` section of `krpc.config.json` (or `KRPC_DEPLOY` as JSON): what `krpc-app manifests`
 * and `krpc-app deploy` need beyond the app's own configuration. Only `image` is required.
 *
 * @example
 * ```json
 * { "deploy": { "image": "ghcr.io/acme/greeter:1.4.0", "replicas": { "min": 2, "max": 20 },
 *               "autoscaling": { "inFlightTarget": 8 } } }
 * ```
 */
export interface DeployOptions {
  /** Container image, e.g. `ghcr.io/acme/greeter:1.4.0` (required). */
  readonly image: string;
  /** Name of every object (DNS-1035 label); default: package.json name without scope, else the directory name. */
  readonly name?: string;
  /** Namespace of every object (default `default`; `--namespace` wins). */
  readonly namespace?: string;
  /** `Always`, `IfNotPresent` or `Never` (default: Kubernetes' own). */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Replica range; with autoscaler `none`, `min` is the fixed count (default 2..10). */
  readonly replicas?: { readonly min?: number; readonly max?: number };
  /** Container resources (default requests cpu 100m, memory 128Mi; limits memory 256Mi). */
  readonly resources?: { readonly requests?: ResourceQuantities; readonly limits?: ResourceQuantities };
  /** `hpa` (default), `keda` or `none`; `--autoscaler` wins. */
  readonly autoscaler?: AutoscalerKind;
  readonly autoscaling?: {
    /** Average in-flight RPCs per pod the autoscaler aims for (default 10). */
    readonly inFlightTarget?: number;
    /** Also scale on CPU utilisation, percent of the request (default: off). */
    readonly cpuUtilization?: number;
    /** Scale-down stabilisation window in seconds (default 300). */
    readonly scaleDownStabilizationSeconds?: number;
    /** Prometheus the KEDA trigger queries (default `http://prometheus-operated.monitoring.svc:9090`). */
    readonly prometheusUrl?: string;
  };
  /** Probe kind (default `grpc`, or `http` when the gRPC port serves TLS: kubelet gRPC probes speak plaintext only). */
  readonly probes?: ProbeKind;
  /** Who does the termination wait (default `app`). */
  readonly drain?: DrainMode;
  /** Pod grace period; default drain delay + shutdown timeout + 5 s, and never less than drain + timeout + 1 s. */
  readonly terminationGracePeriodSeconds?: number;
  readonly service?: {
    /** A headless Service (DNS and `kubernetes:///` clients balance per pod; default true). */
    readonly headless?: boolean;
    /** Also a ClusterIP Service `<name>-cluster` (default false). */
    readonly clusterIP?: boolean;
    /** `trafficDistribution` of the Services, e.g. `PreferClose` (default: none, Kubernetes' own). */
    readonly trafficDistribution?: TrafficDistribution;
  };
  /** A prometheus-operator ServiceMonitor instead of `prometheus.io/*` scrape annotations (default false). */
  readonly serviceMonitor?: boolean | { readonly interval?: string; readonly labels?: Readonly<Record<string, string>> };
  /** The app watches EndpointSlices (`kubernetes:///` clients): default detected from the app's modules and `env`. */
  readonly discovery?: boolean;
  /** PodDisruptionBudget (default `{ maxUnavailable: 1 }`; `false` for none). */
  readonly podDisruptionBudget?: false | { readonly maxUnavailable?: number | string; readonly minAvailable?: number | string };
  /** Extra container environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra labels on every object and pod. */
  readonly labels?: Readonly<Record<string, string>>;
}
