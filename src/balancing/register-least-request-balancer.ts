import { type ChannelOptions, experimental } from '@grpc/grpc-js';
import { LeastRequestBalancer } from './least-request-balancer.js';
import { LEAST_REQUEST_POLICY, LeastRequestConfig } from './least-request-config.js';

/**
 * Registers the load-aware `least_request` policy with grpc-js (idempotent). Call it once at
 * start-up, before creating channels that name it.
 *
 * @example
 * ```ts
 * registerLeastRequestBalancer();
 * const client = new grpc.Client('kubernetes:///greeter.shop:grpc', creds, leastRequestChannelOptions());
 * ```
 */
export function registerLeastRequestBalancer(): void {
  if (experimental.isLoadBalancerNameRegistered(LEAST_REQUEST_POLICY)) return;
  experimental.registerLoadBalancerType(LEAST_REQUEST_POLICY, LeastRequestBalancer, LeastRequestConfig);
}

/**
 * Channel options selecting a policy by name through the service config, e.g.
 * `{ 'grpc.service_config': '{"loadBalancingConfig":[{"least_request":{}}]}' }`.
 *
 * @param policy - `least_request` (default), `round_robin`, `pick_first`…
 * @param config - the policy's own config object
 */
export function balancingChannelOptions(policy: string = LEAST_REQUEST_POLICY, config: object = {}): ChannelOptions {
  return { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ [policy]: config }] }) };
}

/** {@link balancingChannelOptions} for `least_request` with `choiceCount` samples per pick. */
export function leastRequestChannelOptions(choiceCount?: number): ChannelOptions {
  return balancingChannelOptions(LEAST_REQUEST_POLICY, choiceCount === undefined ? {} : { choiceCount });
}
