import { type Constructor, getModuleMetadata } from '../metadata/index.js';

/** A client a module declares with a `kubernetes:///` target. */
export interface KubernetesClientTarget {
  /** The module declaring it. */
  readonly module: string;
  readonly service: string;
  readonly target: string;
}

/**
 * The `kubernetes:///` client targets declared by `root` and every module it imports (their
 * default targets; `KRPC_TARGET_…` overrides in `deploy.env` are added by `resolveDeploySpec`).
 * Such an app watches EndpointSlices and needs the RBAC the manifests then generate.
 */
export function findKubernetesTargets(root: Constructor): KubernetesClientTarget[] {
  const found: KubernetesClientTarget[] = [];
  const seen = new Set<Constructor>();
  const visit = (cls: Constructor): void => {
    if (seen.has(cls)) return;
    seen.add(cls);
    const options = getModuleMetadata(cls);
    for (const client of options?.clients ?? []) {
      if (typeof client !== 'string' && client.target?.startsWith('kubernetes:')) {
        found.push({ module: cls.name, service: client.service, target: client.target });
      }
    }
    for (const imported of options?.imports ?? []) visit(imported);
  };
  visit(root);
  return found;
}

/**
 * The namespace a `kubernetes:///NAME[.NAMESPACE]:PORT` target watches (`fallback` when it names
 * none). Only the namespace matters for RBAC; the resolver validates the rest at boot.
 */
export function kubernetesTargetNamespace(target: string, fallback: string): string {
  const path = target.replace(/^kubernetes:(\/\/[^/]*\/)?/, '');
  const host = path.split(':')[0] ?? '';
  const labels = host.split('.');
  const namespace = labels[1];
  return namespace && namespace !== 'svc' ? namespace : fallback;
}
