export type { AutoscalerKind, DeployOptions, DrainMode, ProbeKind, ResourceQuantities } from './deploy-options.js';
export type { DeploySpec } from './deploy-spec.js';
export { generateManifests } from './generate-manifests.js';
export { findKubernetesTargets, type KubernetesClientTarget, kubernetesTargetNamespace } from './kubernetes-clients.js';
export {
  GRACE_MARGIN_SECONDS,
  IN_FLIGHT_METRIC,
  MANAGER,
  MIN_GRACE_MARGIN_SECONDS,
  PORT_NAMES,
  RUNTIME_PATHS,
} from './manifest-constants.js';
export type { ManifestMetadata, ManifestObject } from './manifest-object.js';
export { prometheusAdapterRules } from './prometheus-adapter-rules.js';
export { type ManifestFormat, manifestFileNames, renderManifests, renderObject } from './render-manifests.js';
export { type ManifestConfig, type ResolveDeployOptions, resolveDeploySpec } from './resolve-deploy-spec.js';
export { inFlightQuery } from './scaled-object.js';
