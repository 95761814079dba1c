import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors/index.js';

/** The scheme this resolver answers: `kubernetes:///NAME.NAMESPACE:PORT`. */
export const KUBERNETES_SCHEME = 'kubernetes';

/** Where a pod finds its own namespace (the mounted service-account token's directory). */
export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** A parsed `kubernetes:///` target: one port of one Service. */
export interface KubernetesTarget {
  /** The Service name. */
  readonly service: string;
  readonly namespace: string;
  /** A port name (`grpc`) looked up in each EndpointSlice, or a number used as the pod port. */
  readonly port: string | number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Parses the path of a `kubernetes:///` target: `NAME.NAMESPACE:PORT` or `NAME:PORT`, the
 * namespace defaulting to `defaultNamespace`. A `.svc` or `.svc.cluster.local` suffix is
 * accepted and ignored, so a cluster DNS name can be pasted.
 *
 * @throws ConfigurationError (`KRPC_TARGET_INVALID`) naming the target and the expected form.
 * @example
 * ```ts
 * parseKubernetesTarget('greeter.shop:grpc', 'default'); // { service: 'greeter', namespace: 'shop', port: 'grpc' }
 * ```
 */
export function parseKubernetesTarget(path: string, defaultNamespace: string): KubernetesTarget {
  const trimmed = path.replace(/^\/+/, '');
  const colon = trimmed.lastIndexOf(':');
  const host = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const portText = colon < 0 ? '' : trimmed.slice(colon + 1);
  const labels = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
  const [service = '', namespace = defaultNamespace] = labels;
  const port = /^\d+$/.test(portText) ? Number(portText) : portText;
  const portValid = typeof port === 'number' ? port > 0 && port < 65536 : PORT_NAME.test(port) && port.length <= 15;
  if (labels.length > 2 || !DNS_LABEL.test(service) || !DNS_LABEL.test(namespace) || !portValid) {
    throw new ConfigurationError('KRPC_TARGET_INVALID', `'kubernetes:///${trimmed}' is not a valid Kubernetes target`, {
      fix: "write 'kubernetes:///NAME.NAMESPACE:PORT' or 'kubernetes:///NAME:PORT', where PORT is the Service's port name (e.g. grpc) or the pods' port number",
    });
  }
  return { service, namespace, port };
}

/** `NAMESPACE/NAME`, how logs and errors name a Service. */
export function serviceKey(target: Pick<KubernetesTarget, 'service' | 'namespace'>): string {
  return `${target.namespace}/${target.service}`;
}

/**
 * The namespace a target without one refers to: the pod's own (from the service-account
 * namespace file), else `POD_NAMESPACE`, else `default`.
 */
export function podNamespace(file: string = SERVICE_ACCOUNT_NAMESPACE_FILE): string {
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (text) return text;
  } catch {
    // not running in a pod
  }
  return process.env.POD_NAMESPACE || 'default';
}
