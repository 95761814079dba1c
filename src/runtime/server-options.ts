import type { ChannelOptions } from '@grpc/grpc-js';

/** Connection-age settings (see {@link connectionAgeOptions}). */
export interface ConnectionAgeSettings {
  /** 0 turns connection ageing off. */
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
}

/**
 * grpc-js server options that close each client connection after `maxConnectionAgeMs` (grpc-js
 * adds ±10% jitter) with a GOAWAY, giving calls on it `maxConnectionAgeGraceMs` to finish. Clients
 * then reconnect and re-resolve, so long-lived channels spread onto pods the HPA added. Merge the
 * result under the app's own `serverOptions` (the app's win). Defaults: 300 000 / 30 000 ms.
 *
 * @example
 * ```ts
 * RpcApplication.create(AppModule, { serverOptions: { ...connectionAgeOptions(), ...mine } });
 * ```
 */
export function connectionAgeOptions(
  settings: ConnectionAgeSettings = { maxConnectionAgeMs: 300_000, maxConnectionAgeGraceMs: 30_000 },
): ChannelOptions {
  if (settings.maxConnectionAgeMs <= 0) return {};
  return {
    'grpc.max_connection_age_ms': settings.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': settings.maxConnectionAgeGraceMs,
  };
}
