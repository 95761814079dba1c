import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ManifestObject } from '../../../src/manifests/index.js';

type Validatable = { validate(): void };
const MODELS: Record<string, (data: never) => Validatable> = {
  'apps/v1 Deployment': (d) => new Deployment(d),
  'v1 Service': (d) => new Service(d),
  'v1 ServiceAccount': (d) => new ServiceAccount(d),
  'rbac.authorization.k8s.io/v1 Role': (d) => new Role(d),
  'rbac.authorization.k8s.io/v1 RoleBinding': (d) => new RoleBinding(d),
  'rbac.authorization.k8s.io/v1 ClusterRole': (d) => new ClusterRole(d),
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': (d) => new ClusterRoleBinding(d),
  'policy/v1 PodDisruptionBudget': (d) => new PodDisruptionBudget(d),
  'autoscaling/v2 HorizontalPodAutoscaler': (d) => new HorizontalPodAutoscaler(d),
  'keda.sh/v1alpha1 ScaledObject': (d) => new ScaledObject(d),
  'monitoring.coreos.com/v1 ServiceMonitor': (d) => new ServiceMonitor(d),
};

/**
 * Validates an object against its OpenAPI schema (kubernetes-models, the KEDA and
 * prometheus-operator CRD models); throws naming the object and the schema errors.
 */
export function validateObject(object: ManifestObject): void {
  const key = `${object.apiVersion} ${object.kind}`;
  const model = MODELS[key];
  if (!model) throw new Error(`no schema model for ${key}`);
  try {
    model(structuredClone(object) as never).validate();
  } catch (error) {
    throw new Error(`${key} ${object.metadata.name} is invalid: ${(error as Error).message}`);
  }
}

/** Finds the one object of `kind` (and `name`). */
export function find(objects: readonly ManifestObject[], kind: string, name?: string): ManifestObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as ManifestObject;
}

/** `value` at a dotted path (`spec.template.spec`), numeric parts index arrays. */
export function at<T = unknown>(value: unknown, path: string): T {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value) as T;
}
