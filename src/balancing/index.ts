/**
 * Client-side load balancing policies for grpc-js.
 * @packageDocumentation
 */
export { LeastRequestBalancer } from './least-request-balancer.js';
export { DEFAULT_CHOICE_COUNT, LEAST_REQUEST_POLICY, LeastRequestConfig, type LeastRequestJson } from './least-request-config.js';
export { type InFlightCounter, LeastRequestPicker, type WeightedChild } from './least-request-picker.js';
export { balancingChannelOptions, leastRequestChannelOptions, registerLeastRequestBalancer } from './register-least-request-balancer.js';
