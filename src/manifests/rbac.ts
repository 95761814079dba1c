import type { DeploySpec } from './deploy-spec.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';

/**
 * For apps with `kubernetes:///` clients: a ServiceAccount, and per watched namespace a Role with
 * get/list/watch on `endpointslices` (`discovery.k8s.io`) and a RoleBinding to the account.
 * Nothing when the app does not watch EndpointSlices.
 */
export function buildRbac(spec: DeploySpec): ManifestObject[] {
  if (spec.discoveryNamespaces.length === 0) return [];
  const roleName = `${spec.name}-endpointslice-reader`;
  const account: ManifestObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: objectMeta(spec) };
  const perNamespace = spec.discoveryNamespaces.flatMap((namespace): ManifestObject[] => [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: objectMeta(spec, roleName, namespace),
      rules: [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: objectMeta(spec, roleName, namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: spec.name, namespace: spec.namespace }],
    },
  ]);
  return [account, ...perNamespace];
}
