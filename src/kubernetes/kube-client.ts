import type { KubeConfig } from '@kubernetes/client-node';
import type { EndpointSliceLike } from './endpoint-slice.js';

/** Where the Kubernetes credentials come from. */
export interface KubeConfigSource {
  /** A loaded config; wins over everything else. */
  readonly kubeConfig?: KubeConfig;
  /** A kubeconfig file; else `KUBECONFIG`, `~/.kube/config`, then the in-cluster service account. */
  readonly kubeconfigPath?: string;
}

/** A watch event as the API server streams it. */
export interface WatchEvent {
  /** `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`. */
  readonly type: string;
  /** The object; for `ERROR` a `Status` with `code` (410 when the resourceVersion is gone). */
  readonly object: EndpointSliceLike & { readonly code?: number; readonly message?: string };
}

/** Parameters of one watch request. */
export interface WatchParams {
  readonly labelSelector: string;
  readonly resourceVersion: string;
  /** Server-side timeout, so that a silently dead connection is eventually replaced. */
  readonly timeoutSeconds: number;
}

/** The two EndpointSlice calls the resolver needs, over `@kubernetes/client-node`. */
export interface EndpointSliceApi {
  /** The API server's URL (for logs). */
  readonly server: string;
  list(namespace: string, labelSelector: string): Promise<{ items: EndpointSliceLike[]; resourceVersion: string }>;
  /** The labels of a Node (to learn the pod's zone). */
  nodeLabels(name: string): Promise<Readonly<Record<string, string>>>;
  /** Starts a watch; resolves to a function that aborts it. `onDone` is called once, when it ends. */
  watch(
    namespace: string,
    params: WatchParams,
    onEvent: (event: WatchEvent) => void,
    onDone: (error: unknown) => void,
  ): Promise<() => void>;
}

/**
 * Loads `@kubernetes/client-node` (a dynamic import: only now, when a `kubernetes:///` target
 * is resolved) and builds the EndpointSlice API from the configured credentials.
 */
export async function loadEndpointSliceApi(source: KubeConfigSource): Promise<EndpointSliceApi> {
  const k8s = await import('@kubernetes/client-node');
  let config = source.kubeConfig;
  if (!config) {
    config = new k8s.KubeConfig();
    if (source.kubeconfigPath) config.loadFromFile(source.kubeconfigPath);
    else config.loadFromDefault();
  }
  const discovery = config.makeApiClient(k8s.DiscoveryV1Api);
  const core = config.makeApiClient(k8s.CoreV1Api);
  const watcher = new k8s.Watch(config);
  return {
    server: config.getCurrentCluster()?.server ?? '(no cluster)',
    async list(namespace, labelSelector) {
      const list = await discovery.listNamespacedEndpointSlice({ namespace, labelSelector });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
    },
    async nodeLabels(name) {
      const node = await core.readNode({ name });
      return node.metadata?.labels ?? {};
    },
    async watch(namespace, params, onEvent, onDone) {
      const path = `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices`;
      const query = { ...params, allowWatchBookmarks: true };
      const controller = await watcher.watch(
        path,
        query,
        (type: string, object: WatchEvent['object']) => onEvent({ type, object }),
        onDone,
      );
      return () => controller.abort();
    },
  };
}

/** The HTTP status of a failed Kubernetes request, if it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  return typeof code === 'number' ? code : undefined;
}
