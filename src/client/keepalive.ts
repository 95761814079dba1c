import type { ChannelOptions } from '@grpc/grpc-js';
import type { KeepaliveOptions } from '../metadata/index.js';

/**
 * The keepalive presets. `fast` pings every 500 ms while calls are open and drops a connection
 * whose ping goes unanswered for 1 s, so a frozen replica (TCP still up) stops getting calls in
 * under 2 s; only servers that allow frequent pings take it (KubernetesRPC's do). `compatible`
 * pings every 5 minutes, the most grpc-go and grpc-java servers accept by default (faster pings
 * on a quiet connection get GOAWAY `too_many_pings`).
 */
export const KEEPALIVE_PRESETS = Object.freeze({
  fast: Object.freeze({ timeMs: 500, timeoutMs: 1000 }),
  compatible: Object.freeze({ timeMs: 300_000, timeoutMs: 20_000 }),
});

/** The preset a target gets when its clients choose none: `fast` only for the framework's own `kubernetes:///` resolver. */
export function defaultKeepalive(target: string): 'fast' | 'compatible' {
  return target.startsWith('kubernetes:') ? 'fast' : 'compatible';
}

/** grpc-js channel options of a keepalive setting; never pings idle connections. */
export function keepaliveChannelOptions(keepalive: KeepaliveOptions): ChannelOptions {
  const { timeMs, timeoutMs } = typeof keepalive === 'string' ? KEEPALIVE_PRESETS[keepalive] : keepalive;
  return {
    'grpc.keepalive_time_ms': timeMs,
    'grpc.keepalive_timeout_ms': timeoutMs ?? 20_000,
    'grpc.keepalive_permit_without_calls': 0,
  };
}
