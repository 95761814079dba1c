import type { ChannelOptions } from '@grpc/grpc-js';

/** Connection-age settings (see {@link connectionAgeOptions}). */
export interface ConnectionAgeSettings {
  /** 0 turns connection ageing off. */
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
  /** Connections without a call for this long are closed; 0 turns it off. */
  readonly maxConnectionIdleMs?: number;
}

/**
 * grpc-js server options that close each client connection after `maxConnectionAgeMs` (grpc-js
 * adds ±10% jitter) with a GOAWAY, giving calls on it `maxConnectionAgeGraceMs` to finish. Clients
 * then reconnect and re-resolve, so long-lived channels spread onto pods the HPA added. Merge the
 * result under the app's own `serverOptions` (the app's win). Defaults: 300 000 / 30 000 ms, no
 * idle limit (the runtime passes its `maxConnectionIdleMs`, which closes connections without calls).
 *
 * @example
 * ```ts
 * RpcApplication.create(AppModule, { serverOptions: { ...connectionAgeOptions(), ...mine } });
 * ```
 */
export function connectionAgeOptions(
  settings: ConnectionAgeSettings = { maxConnectionAgeMs: 300_000, maxConnectionAgeGraceMs: 30_000 },
): ChannelOptions {
  const idleMs = settings.maxConnectionIdleMs ?? 0;
  const idle: ChannelOptions = idleMs > 0 ? { 'grpc.max_connection_idle_ms': idleMs } : {};
  if (settings.maxConnectionAgeMs <= 0) return idle;
  return {
    ...idle,
    'grpc.max_connection_age_ms': settings.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': settings.maxConnectionAgeGraceMs,
  };
}
