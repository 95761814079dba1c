import type { DeploySpec } from './deploy-spec.js';

/** Object metadata as the manifests write it. */
export interface ManifestMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Kubernetes object as plain JSON data, ready for YAML or server-side apply. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ManifestMetadata;
  readonly [field: string]: unknown;
}

/** Metadata of an object named `name` (default: the app's name) in the app's namespace. */
export function objectMeta(spec: DeploySpec, name = spec.name, namespace = spec.namespace): ManifestMetadata {
  return { name, namespace, labels: { ...spec.labels } };
}
