import type { DeploySpec } from './deploy-spec.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';

/**
 * For apps with `kubernetes:///` clients: a ServiceAccount, and per watched namespace a Role with
 * get/list/watch on `endpointslices` (`discovery.k8s.io`) and a RoleBinding to the account.
 * Nothing when the app does not watch EndpointSlices. With discovery, also a ClusterRole with
 * `get` on `nodes` (cluster-scoped, so not a Role) bound to the account: the resolver reads its
 * Node's `topology.kubernetes.io/zone` label for zone-aware routing (the downward API gives the
 * node's name only).
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
  const nodeReader = `${spec.namespace}-${spec.name}-node-reader`;
  const clusterMeta = { name: nodeReader, labels: { ...spec.labels } };
  const nodes: ManifestObject[] = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: clusterMeta,
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: clusterMeta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: nodeReader },
      subjects: [{ kind: 'ServiceAccount', name: spec.name, namespace: spec.namespace }],
    },
  ];
  return [account, ...perNamespace, ...nodes];
}
