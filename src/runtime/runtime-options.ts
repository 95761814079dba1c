import type { Registry } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';
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
  readonly health: boolean;
  readonly reflection: boolean;
  readonly metrics: boolean;
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
  readonly eventLoopWindowMs: number;
}

/** Drain delay used when `KUBERNETES_SERVICE_HOST` is set: time for endpoint removal to reach every client. */
export const KUBERNETES_DRAIN_DELAY_MS = 5000;

/** Applies environment variables and defaults to `options` (explicit options win over the environment). */
export function resolveRuntimeSettings(options: RuntimeOptions = {}): RuntimeSettings {
  const env = options.env ?? process.env;
  const int = (key: string, fallback: number) => parseInteger(key, env[key], fallback);
  const bool = (key: string, fallback: boolean) => parseBoolean(key, env[key], fallback);
  const inKubernetes = Boolean(env.KUBERNETES_SERVICE_HOST);
  return {
    port: options.port ?? int('KRPC_RUNTIME_PORT', 9464),
    host: options.host ?? env.KRPC_RUNTIME_HOST ?? '0.0.0.0',
    http: options.http ?? bool('KRPC_RUNTIME_HTTP', true),
    drainDelayMs: options.drainDelayMs ?? int('KRPC_DRAIN_DELAY_MS', inKubernetes ? KUBERNETES_DRAIN_DELAY_MS : 0),
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? int('KRPC_SHUTDOWN_TIMEOUT_MS', 10_000),
    maxInFlight: options.maxInFlight ?? int('KRPC_MAX_IN_FLIGHT', 0),
    health: options.health ?? bool('KRPC_HEALTH', true),
    reflection: options.reflection ?? bool('KRPC_REFLECTION', true),
    metrics: options.metrics ?? bool('KRPC_METRICS', true),
    maxConnectionAgeMs: options.maxConnectionAgeMs ?? int('KRPC_MAX_CONNECTION_AGE_MS', 300_000),
    maxConnectionAgeGraceMs: options.maxConnectionAgeGraceMs ?? int('KRPC_MAX_CONNECTION_AGE_GRACE_MS', 30_000),
    eventLoopWindowMs: options.eventLoopWindowMs ?? 1000,
  };
}

function parseInteger(key: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `${key}=${JSON.stringify(raw)} is not a non-negative integer`, {
      fix: `set ${key} to a whole number such as ${fallback}, or unset it`,
    });
  }
  return value;
}

function parseBoolean(key: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw.trim() === '') return fallback;
  const text = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(text)) return true;
  if (['0', 'false', 'off', 'no'].includes(text)) return false;
  throw new ConfigurationError('KRPC_CONFIG_INVALID', `${key}=${JSON.stringify(raw)} is not a boolean`, {
    fix: `set ${key} to true or false`,
  });
}
