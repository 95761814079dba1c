/** The type of a configuration value. */
export type ConfigValueType = 'string' | 'port' | 'port-or-off' | 'integer' | 'boolean' | 'list' | 'object' | 'log-level';

/** One configuration key: its environment variable, type, default and meaning. */
export interface ConfigKey {
  readonly key: keyof AppConfigValues;
  readonly env: string;
  readonly type: ConfigValueType;
  readonly description: string;
  /** The allowed values of a `string` key, when it has a fixed set. */
  readonly values?: readonly string[];
}

/** Every setting of an app, after defaults. */
export interface AppConfigValues {
  /** The root module: `./dist/app.module.js#AppModule` (the export name defaults to the only `@Module` export). */
  readonly module: string;
  /** Proto files in addition to those the modules list, relative to the app directory. */
  readonly protos: readonly string[];
  /** Directories searched for proto imports. */
  readonly includeDirs: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly runtimePort: number;
  readonly runtimeHost: string;
  readonly runtimeHttp: boolean;
  readonly runtime: boolean;
  readonly metrics: boolean;
  readonly reflection: boolean;
  readonly health: boolean;
  readonly drainDelayMs: number | undefined;
  readonly shutdownTimeoutMs: number;
  readonly maxInFlight: number | undefined;
  readonly maxReceiveMessageBytes: number;
  readonly maxConcurrentStreams: number;
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
  readonly maxConnectionIdleMs: number;
  readonly handshakeTimeoutMs: number;
  readonly maxEventLoopLagMs: number;
  readonly callScope: 'auto' | 'async' | 'sync';
  readonly logLevel: string;
  readonly logPretty: boolean | undefined;
  /** PEM certificate chain of the server; with `tlsKey`, the gRPC port speaks TLS. */
  readonly tlsCert: string | undefined;
  /** PEM private key of the server. */
  readonly tlsKey: string | undefined;
  /** PEM CA bundle that client certificates must chain to (mTLS). */
  readonly tlsCa: string | undefined;
  /** Require and verify client certificates against `tlsCa`. */
  readonly tlsClientAuth: boolean;
  /** Options of the clients the app calls, keyed by service name (`{ "helloworld.Greeter": { "keepalive": "fast" } }`); see docs/clients.md. */
  readonly clients: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  /** The pod's zone for zone-aware `kubernetes:///` routing (default: its Node's `topology.kubernetes.io/zone` label). */
  readonly zone: string | undefined;
  /** The web port (Connect, gRPC-Web; HTTP/1.1 and h2c); unset: no web listener. See docs/web.md. */
  readonly webPort: number | undefined;
  /** The web listener's settings (`corsOrigins`, `maxBodyBytes`, timeouts); see docs/web.md. */
  readonly web: Readonly<Record<string, unknown>> | undefined;
  /** The `krpc-app manifests` / `deploy` section (image, replicas, resources, autoscaling); checked by those commands. */
  readonly deploy: Readonly<Record<string, unknown>> | undefined;
  /** OpenTelemetry tracing (`{ "enabled": true, "endpoint": "http://collector:4318" }`); the `OTEL_*` variables win; see docs/tracing.md. */
  readonly tracing: Readonly<Record<string, unknown>> | undefined;
}

/** The configuration keys, their environment variables and meaning (the documented table). */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'module', env: 'KRPC_MODULE', type: 'string', description: 'Built root module, `file.js#Export`, relative to the app directory' },
  { key: 'protos', env: 'KRPC_PROTOS', type: 'list', description: 'Extra proto files (comma-separated in the environment)' },
  { key: 'includeDirs', env: 'KRPC_PROTO_INCLUDE_DIRS', type: 'list', description: 'Directories searched for proto imports' },
  { key: 'host', env: 'KRPC_HOST', type: 'string', description: 'Address the gRPC server binds' },
  { key: 'port', env: 'KRPC_PORT', type: 'port', description: 'gRPC port (0 picks a free one)' },
  {
    key: 'runtimePort',
    env: 'KRPC_RUNTIME_PORT',
    type: 'port',
    description: 'Port of the runtime HTTP endpoint (/livez, /readyz, /metrics)',
  },
  { key: 'runtimeHost', env: 'KRPC_RUNTIME_HOST', type: 'string', description: 'Address the runtime HTTP endpoint binds' },
  {
    key: 'runtimeHttp',
    env: 'KRPC_RUNTIME_HTTP',
    type: 'boolean',
    description: 'Serve the runtime HTTP endpoint at all (health and metrics stay on the gRPC side)',
  },
  { key: 'runtime', env: 'KRPC_RUNTIME', type: 'boolean', description: 'Run the runtime module (probes, health, metrics, drain)' },
  { key: 'metrics', env: 'KRPC_METRICS', type: 'boolean', description: 'Collect Prometheus metrics' },
  { key: 'reflection', env: 'KRPC_REFLECTION', type: 'boolean', description: 'Serve gRPC server reflection' },
  { key: 'health', env: 'KRPC_HEALTH', type: 'boolean', description: 'Serve grpc.health.v1' },
  {
    key: 'drainDelayMs',
    env: 'KRPC_DRAIN_DELAY_MS',
    type: 'integer',
    description: 'Time to keep serving after SIGTERM before closing (default 0, or 5000 inside Kubernetes)',
  },
  {
    key: 'shutdownTimeoutMs',
    env: 'KRPC_SHUTDOWN_TIMEOUT_MS',
    type: 'integer',
    description: 'Time in-flight calls get to finish before they are aborted',
  },
  {
    key: 'maxInFlight',
    env: 'KRPC_MAX_IN_FLIGHT',
    type: 'integer',
    description: 'Calls over this many in flight get RESOURCE_EXHAUSTED (off by default)',
  },
  {
    key: 'maxEventLoopLagMs',
    env: 'KRPC_MAX_EVENT_LOOP_LAG_MS',
    type: 'integer',
    description:
      'Load shedding on event-loop delay: calls reached while the event loop is more than this many ms late get RESOURCE_EXHAUSTED with grpc-retry-pushback-ms (off by default: 0; e.g. 100)',
  },
  {
    key: 'maxReceiveMessageBytes',
    env: 'KRPC_MAX_RECEIVE_MESSAGE_BYTES',
    type: 'integer',
    description: 'Largest request message accepted',
  },
  {
    key: 'maxConcurrentStreams',
    env: 'KRPC_MAX_CONCURRENT_STREAMS',
    type: 'integer',
    description: 'HTTP/2 streams per connection (rapid-reset hardening)',
  },
  {
    key: 'callScope',
    env: 'KRPC_CALL_SCOPE',
    type: 'string',
    values: ['auto', 'async', 'sync'],
    description:
      'async: RpcContext.current() and client propagation follow a call across awaits (AsyncLocalStorage; its cost is in docs/performance.md); sync: only until its first await; auto: async when the app has clients, sync otherwise. Per app',
  },
  {
    key: 'maxConnectionAgeMs',
    env: 'KRPC_MAX_CONNECTION_AGE_MS',
    type: 'integer',
    description: 'Connections are closed (GOAWAY) after this age so clients re-balance onto new pods; 0 turns it off',
  },
  {
    key: 'maxConnectionAgeGraceMs',
    env: 'KRPC_MAX_CONNECTION_AGE_GRACE_MS',
    type: 'integer',
    description: 'Time calls on an aged connection get to finish',
  },
  {
    key: 'maxConnectionIdleMs',
    env: 'KRPC_MAX_CONNECTION_IDLE_MS',
    type: 'integer',
    description: 'Connections without a call for this long are closed (GOAWAY); reclaims abandoned and rapid-reset connections',
  },
  {
    key: 'handshakeTimeoutMs',
    env: 'KRPC_HANDSHAKE_TIMEOUT_MS',
    type: 'integer',
    description: 'Plaintext connections that have not sent the HTTP/2 preface within this time are closed (slowloris); 0 turns it off',
  },
  { key: 'logLevel', env: 'KRPC_LOG_LEVEL', type: 'log-level', description: 'trace, debug, info, warn, error, fatal or silent' },
  {
    key: 'logPretty',
    env: 'KRPC_LOG_PRETTY',
    type: 'boolean',
    description: 'Readable log lines instead of JSON (default: when stdout is a terminal)',
  },
  {
    key: 'tlsCert',
    env: 'KRPC_TLS_CERT',
    type: 'string',
    description: 'PEM certificate chain file; with tlsKey the gRPC port serves TLS (re-read when the file changes)',
  },
  { key: 'tlsKey', env: 'KRPC_TLS_KEY', type: 'string', description: 'PEM private key file of the server' },
  { key: 'tlsCa', env: 'KRPC_TLS_CA', type: 'string', description: 'PEM CA bundle client certificates are verified against (mTLS)' },
  { key: 'tlsClientAuth', env: 'KRPC_TLS_CLIENT_AUTH', type: 'boolean', description: 'Require client certificates signed by tlsCa' },
  {
    key: 'clients',
    env: 'KRPC_CLIENTS',
    type: 'object',
    description:
      "Client options by service name, over the modules' declarations (JSON in the environment; per service, the environment's options win over the file's): loadBalancing, outlierDetection, keepalive, retry, retryable, retryThrottling, methods, timeoutMs, channelOptions…",
  },
  {
    key: 'zone',
    env: 'KRPC_ZONE',
    type: 'string',
    description:
      "The pod's zone: kubernetes:/// clients prefer endpoints in it (default: the topology.kubernetes.io/zone label of the node NODE_NAME names)",
  },
  {
    key: 'webPort',
    env: 'KRPC_WEB_PORT',
    type: 'port-or-off',
    description:
      'Web port for browsers and curl: Connect (JSON, binary, GET) and gRPC-Web over HTTP/1.1 and h2c (unset or `off`: no web listener; 0 picks a free one)',
  },
  {
    key: 'web',
    env: 'KRPC_WEB',
    type: 'object',
    description:
      'Web listener settings (JSON in the environment): host, corsOrigins, corsAllowedHeaders, corsExposedHeaders, maxBodyBytes, requestTimeoutMs, handshakeTimeoutMs, idleTimeoutMs',
  },
  {
    key: 'deploy',
    env: 'KRPC_DEPLOY',
    type: 'object',
    description: 'The deploy section used by `krpc-app manifests` and `deploy`, which read it from the config file only',
  },
  {
    key: 'tracing',
    env: 'KRPC_TRACING',
    type: 'object',
    description:
      'OpenTelemetry tracing: enabled, exporter, protocol, endpoint, sampler, samplerArg, propagators, serviceName, resourceAttributes (JSON in the environment); the standard OTEL_* variables win over it (docs/tracing.md)',
  },
];

/** The defaults. */
export const DEFAULT_CONFIG: AppConfigValues = Object.freeze({
  module: './dist/app.module.js',
  protos: [],
  includeDirs: [],
  host: '0.0.0.0',
  port: 50051,
  runtimePort: 9464,
  runtimeHost: '0.0.0.0',
  runtimeHttp: true,
  runtime: true,
  metrics: true,
  reflection: true,
  health: true,
  drainDelayMs: undefined,
  shutdownTimeoutMs: 10_000,
  maxInFlight: undefined,
  maxReceiveMessageBytes: 4 * 1024 * 1024,
  maxConcurrentStreams: 1000,
  callScope: 'auto',
  maxConnectionAgeMs: 300_000,
  maxConnectionAgeGraceMs: 30_000,
  maxConnectionIdleMs: 20_000,
  handshakeTimeoutMs: 5000,
  maxEventLoopLagMs: 0,
  logLevel: 'info',
  logPretty: undefined,
  tlsCert: undefined,
  tlsKey: undefined,
  tlsCa: undefined,
  tlsClientAuth: false,
  clients: undefined,
  zone: undefined,
  webPort: undefined,
  web: undefined,
  deploy: undefined,
  tracing: undefined,
});
