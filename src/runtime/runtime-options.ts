import type { Registry } from 'prom-client';
import { type AppConfigValues, configFromEnv, DEFAULT_CONFIG } from '../config/index.js';
import type { Logger } from '../logging/index.js';

/** Options of `new Runtime()`. Each falls back to an environment variable, then a default. */
export interface RuntimeOptions {
  readonly logger?: Logger;
  /** Port of the HTTP endpoint (`/livez`, `/readyz`, `/metrics`); `KRPC_RUNTIME_PORT`, default 9464; 0 picks a free one. */
  readonly port?: number;
  /** Host of the HTTP endpoint; `KRPC_RUNTIME_HOST`, default `0.0.0.0`. */
  readonly host?: string;
  /** Serve the HTTP endpoint at all; `KRPC_RUNTIME_HTTP`, default true. */
  readonly http?: boolean;
  /** How long to keep serving after SIGTERM before closing; `KRPC_DRAIN_DELAY_MS`, default 0, or 5000 in Kubernetes. */
  readonly drainDelayMs?: number;
  /** How long in-flight calls may take to finish once closing; `KRPC_SHUTDOWN_TIMEOUT_MS`, default 10000. */
  readonly shutdownTimeoutMs?: number;
  /** Calls in progress at once before new ones get RESOURCE_EXHAUSTED; `KRPC_MAX_IN_FLIGHT`, default off (0). */
  readonly maxInFlight?: number;
  /** Calls reached while the event loop is this many ms late are shed; `KRPC_MAX_EVENT_LOOP_LAG_MS`, default 0 (off). */
  readonly maxEventLoopLagMs?: number;
  /** `grpc.max_connection_idle_ms`; `KRPC_MAX_CONNECTION_IDLE_MS`, default 20000. */
  readonly maxConnectionIdleMs?: number;
  /** Serve grpc.health.v1; `KRPC_HEALTH`, default true. */
  readonly health?: boolean;
  /** Serve gRPC server reflection; `KRPC_REFLECTION`, default true. */
  readonly reflection?: boolean;
  /** Collect and serve metrics; `KRPC_METRICS`, default true. */
  readonly metrics?: boolean;
  /** `grpc.max_connection_age_ms`; `KRPC_MAX_CONNECTION_AGE_MS`, default 300000; 0 turns it off. */
  readonly maxConnectionAgeMs?: number;
  /** `grpc.max_connection_age_grace_ms`; `KRPC_MAX_CONNECTION_AGE_GRACE_MS`, default 30000. */
  readonly maxConnectionAgeGraceMs?: number;
  /** The prom-client registry (default: prom-client's global `register`). */
  readonly registry?: Registry;
  /** Window of `krpc_event_loop_utilization` in ms (default 1000). */
  readonly eventLoopWindowMs?: number;
  /** Histogram buckets in seconds (default: go-grpc-prometheus'). */
  readonly buckets?: readonly number[];
  /** Where the defaults are read from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** {@link RuntimeOptions} with every default applied. */
export interface RuntimeSettings {
  readonly port: number;
  readonly host: string;
  readonly http: boolean;
  readonly drainDelayMs: number;
  readonly shutdownTimeoutMs: number;
  /** 0 means no limit. */
  readonly maxInFlight: number;
  /** 0 means no shedding on event-loop delay. */
  readonly maxEventLoopLagMs: number;
  readonly maxConnectionIdleMs: number;
  readonly health: boolean;
  readonly reflection: boolean;
  readonly metrics: boolean;
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
  readonly eventLoopWindowMs: number;
}

/** Drain delay used when `KUBERNETES_SERVICE_HOST` is set: time for endpoint removal to reach every client. */
export const KUBERNETES_DRAIN_DELAY_MS = 5000;

/**
 * Applies environment variables and defaults to `options` (explicit options win over the
 * environment). The variables, their parsing and their defaults are the configuration's
 * (`CONFIG_KEYS`, docs/configuration.md), so the runtime and `krpc-app start` cannot disagree.
 */
export function resolveRuntimeSettings(options: RuntimeOptions = {}): RuntimeSettings {
  const env = options.env ?? process.env;
  const fromEnv = configFromEnv(env);
  const setting = <K extends keyof AppConfigValues>(key: K): NonNullable<AppConfigValues[K]> =>
    (fromEnv[key] ?? DEFAULT_CONFIG[key]) as NonNullable<AppConfigValues[K]>;
  const inKubernetes = Boolean(env.KUBERNETES_SERVICE_HOST);
  return {
    port: options.port ?? setting('runtimePort'),
    host: options.host ?? setting('runtimeHost'),
    http: options.http ?? setting('runtimeHttp'),
    drainDelayMs: options.drainDelayMs ?? fromEnv.drainDelayMs ?? (inKubernetes ? KUBERNETES_DRAIN_DELAY_MS : 0),
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? setting('shutdownTimeoutMs'),
    maxInFlight: options.maxInFlight ?? fromEnv.maxInFlight ?? 0,
    maxEventLoopLagMs: options.maxEventLoopLagMs ?? setting('maxEventLoopLagMs'),
    maxConnectionIdleMs: options.maxConnectionIdleMs ?? setting('maxConnectionIdleMs'),
    health: options.health ?? setting('health'),
    reflection: options.reflection ?? setting('reflection'),
    metrics: options.metrics ?? setting('metrics'),
    maxConnectionAgeMs: options.maxConnectionAgeMs ?? setting('maxConnectionAgeMs'),
    maxConnectionAgeGraceMs: options.maxConnectionAgeGraceMs ?? setting('maxConnectionAgeGraceMs'),
    eventLoopWindowMs: options.eventLoopWindowMs ?? 1000,
  };
}
