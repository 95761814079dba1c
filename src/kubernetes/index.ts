/**
 * Kubernetes discovery for grpc-js channels: the `kubernetes:///NAME.NAMESPACE:PORT` resolver
 * over EndpointSlices. `@kubernetes/client-node` is loaded only when such a target is used.
 * @packageDocumentation
 */

export {
  balancingChannelOptions,
  LEAST_REQUEST_POLICY,
  leastRequestChannelOptions,
  registerLeastRequestBalancer,
} from '../balancing/index.js';
export {
  type ApplicableObject,
  type ApplyObjectsOptions,
  type ApplyResult,
  applyObjects,
  describeApplyResult,
  FIELD_MANAGER,
} from './apply-objects.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export {
  addressKey,
  type BackendAddress,
  type EndpointSliceLike,
  isEndpointUsable,
  mergeEndpointSlices,
  type SliceEndpointLike,
  slicePort,
  toGrpcEndpoints,
} from './endpoint-slice.js';
export type { KubeConfigSource } from './kube-client.js';
export {
  type KubernetesResolverOptions,
  type KubernetesResolverRegistration,
  registerKubernetesResolver,
} from './register-kubernetes-resolver.js';
export { KUBERNETES_SCHEME, type KubernetesTarget, parseKubernetesTarget, podNamespace, SERVICE_ACCOUNT_NAMESPACE_FILE } from './target.js';
