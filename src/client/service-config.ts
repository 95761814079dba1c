import type { HedgingPolicyOptions, RetryPolicyOptions } from '../metadata/index.js';
import { codeOf } from './check-client-options.js';
import type { ClientSettings } from './client-settings.js';
import type { LoadBalancingConfig } from './load-balancing-config.js';

interface MethodConfig {
  name: { service: string; method?: string }[];
  retryPolicy?: {
    maxAttempts: number;
    initialBackoff: string;
    maxBackoff: string;
    backoffMultiplier: number;
    retryableStatusCodes: number[];
  };
  hedgingPolicy?: { maxAttempts: number; hedgingDelay: string; nonFatalStatusCodes: number[] };
}

/** The gRPC service config of a channel. */
export interface ServiceConfig {
  loadBalancingConfig: LoadBalancingConfig[];
  methodConfig: MethodConfig[];
  retryThrottling?: { maxTokens: number; tokenRatio: number };
}

/** The retry policy of rpcs that are safe to retry and set none of their own. */
export const DEFAULT_RETRY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxAttempts: 3,
  retryableCodes: Object.freeze(['UNAVAILABLE']),
});

/** The retry budget of every channel: retries stop while more than half of 100 tokens are spent (1 per failure, 0.1 back per success). */
export const DEFAULT_RETRY_THROTTLING = Object.freeze({ maxTokens: 100, tokenRatio: 0.1 });

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)}s`;

function retryPolicy(retry: RetryPolicyOptions): MethodConfig['retryPolicy'] {
  return {
    maxAttempts: retry.maxAttempts,
    initialBackoff: seconds(retry.initialBackoffMs ?? 100),
    maxBackoff: seconds(retry.maxBackoffMs ?? 2000),
    backoffMultiplier: retry.backoffMultiplier ?? 2,
    retryableStatusCodes: (retry.retryableCodes ?? ['UNAVAILABLE']).map((c) => codeOf(c) as number),
  };
}

function hedgingPolicy(hedging: HedgingPolicyOptions): MethodConfig['hedgingPolicy'] {
  return {
    maxAttempts: hedging.maxAttempts,
    hedgingDelay: seconds(hedging.delayMs ?? 0),
    nonFatalStatusCodes: (hedging.nonFatalCodes ?? []).map((c) => codeOf(c) as number),
  };
}

const SAFE_LEVELS = new Set(['IDEMPOTENT', 'NO_SIDE_EFFECTS']);

/** Whether an rpc's proto marks it `idempotency_level = IDEMPOTENT` or `NO_SIDE_EFFECTS`. */
export function idempotentInProto(client: ClientSettings, rpc: string): boolean {
  // proto-loader's definitions carry the rpc's options; grpc-js's type leaves them out.
  const definition = client.service.methods.get(rpc)?.definition as { options?: Record<string, unknown> } | undefined;
  const options = definition?.options;
  return SAFE_LEVELS.has(String(options?.idempotency_level));
}

/** The method config of one rpc, or undefined when the service-wide entry covers it. */
function methodEntry(client: ClientSettings, rpc: string): MethodConfig | undefined {
  const service = client.service.name;
  const own = client.options.methods?.[rpc];
  if (own?.hedging) return { name: [{ service, method: rpc }], hedgingPolicy: hedgingPolicy(own.hedging) };
  if (own?.retry === false || own?.retryable === false) return { name: [{ service, method: rpc }] };
  if (own?.retry) return { name: [{ service, method: rpc }], retryPolicy: retryPolicy(own.retry) };
  if (client.options.retry) return undefined;
  const safe = own?.retryable ?? (client.options.retryable || idempotentInProto(client, rpc));
  return safe ? { name: [{ service, method: rpc }], retryPolicy: retryPolicy(DEFAULT_RETRY) } : undefined;
}

/**
 * The service config of the channel shared by `clients` (one target): the load-balancing config,
 * a method config per rpc with a retry or hedging policy of its own or safe to retry (per-rpc
 * entries first: grpc-js uses the first that matches), and the retry budget.
 */
export function serviceConfigFor(
  clients: readonly ClientSettings[],
  loadBalancing: LoadBalancingConfig,
  throttling: ServiceConfig['retryThrottling'] | undefined,
): ServiceConfig {
  const perMethod: MethodConfig[] = [];
  const perService: MethodConfig[] = [];
  for (const client of clients) {
    for (const rpc of client.service.methods.keys()) {
      const entry = methodEntry(client, rpc);
      if (entry) perMethod.push(entry);
    }
    if (client.options.retry) perService.push({ name: [{ service: client.service.name }], retryPolicy: retryPolicy(client.options.retry) });
  }
  return {
    loadBalancingConfig: [loadBalancing],
    methodConfig: [...perMethod, ...perService],
    ...(throttling ? { retryThrottling: throttling } : {}),
  };
}

/**
 * A user's own `grpc.service_config` merged with the framework's: its method configs first (they win
 * for the rpcs they name), its `loadBalancingConfig` and `retryThrottling` over the framework's.
 */
export function mergeServiceConfig(framework: ServiceConfig, user: Record<string, unknown>): Record<string, unknown> {
  const methods = Array.isArray(user.methodConfig) ? (user.methodConfig as unknown[]) : [];
  return { ...framework, ...user, methodConfig: [...methods, ...framework.methodConfig] };
}
