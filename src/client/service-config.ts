import type { RetryPolicyOptions } from '../metadata/index.js';
import type { ClientSettings } from './client-settings.js';
import { codeOf } from './client-settings.js';

interface MethodConfig {
  name: { service: string; method?: string }[];
  retryPolicy?: {
    maxAttempts: number;
    initialBackoff: string;
    maxBackoff: string;
    backoffMultiplier: number;
    retryableStatusCodes: number[];
  };
}

/** The gRPC service config of a channel. */
export interface ServiceConfig {
  loadBalancingConfig: Record<string, Record<string, never>>[];
  methodConfig: MethodConfig[];
}

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

/**
 * The service config of the channel shared by `clients` (one target): their load-balancing
 * policy (default `round_robin`) and a method config per retried rpc. grpc-js uses the first
 * method config whose name matches, so per-rpc entries come before service-wide ones.
 */
export function serviceConfigFor(clients: readonly ClientSettings[], policy: string): ServiceConfig {
  const perMethod: MethodConfig[] = [];
  const perService: MethodConfig[] = [];
  for (const client of clients) {
    const service = client.service.name;
    for (const [method, options] of Object.entries(client.options.methods ?? {})) {
      if (options.retry === undefined) continue;
      perMethod.push({ name: [{ service, method }], ...(options.retry ? { retryPolicy: retryPolicy(options.retry) } : {}) });
    }
    if (client.options.retry) perService.push({ name: [{ service }], retryPolicy: retryPolicy(client.options.retry) });
  }
  return { loadBalancingConfig: [{ [policy]: {} }], methodConfig: [...perMethod, ...perService] };
}
