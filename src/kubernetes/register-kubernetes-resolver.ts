import { experimental } from '@grpc/grpc-js';
import { createLogger, type Logger } from '../logging/index.js';
import type { BackoffOptions } from './backoff.js';
import { type EndpointSliceApi, type KubeConfigSource, loadEndpointSliceApi } from './kube-client.js';
import { createKubernetesResolverClass } from './kubernetes-resolver.js';
import { OwnZoneLookup } from './own-zone.js';
import { KUBERNETES_SCHEME, podNamespace } from './target.js';
import { WatchRegistry } from './watch-registry.js';

/** Options of {@link registerKubernetesResolver}. */
export interface KubernetesResolverOptions extends KubeConfigSource {
  /** Where watch failures and recoveries are logged (default: the framework logger). */
  readonly logger?: Logger;
  /** Namespace of targets without one (default: the pod's own, else `POD_NAMESPACE`, else `default`). */
  readonly defaultNamespace?: string;
  /** Reconnect backoff of the watch (default 250 ms doubling to 30 s, jittered). */
  readonly backoff?: BackoffOptions;
  /** Server-side watch timeout in seconds, randomised up to twice this (default 300). */
  readonly watchTimeoutSeconds?: number;
  /**
   * Prefer endpoints in the pod's own zone, honouring topology hints, and spill over to other
   * zones when the own zone has none ready or too few (default true; see `preferZone`).
   */
  readonly zoneAware?: boolean;
  /** The pod's zone (default `KRPC_ZONE`; else the `topology.kubernetes.io/zone` label of node `nodeName`). */
  readonly zone?: string;
  /** The pod's node, whose zone label is read when no zone is given (default `NODE_NAME`, from the downward API). */
  readonly nodeName?: string;
}

/** A registered resolver: what it watches, and how to stop it. */
export interface KubernetesResolverRegistration {
  /** The URI scheme registered: `kubernetes`. */
  readonly scheme: string;
  /** Services watched right now, as `NAMESPACE/NAME` (one shared watch each). */
  watchedServices(): string[];
  /** Stops every watch; channels keep their last endpoints. Call at shutdown, after closing clients. */
  close(): void;
}

/**
 * Registers the `kubernetes:///NAME.NAMESPACE:PORT` scheme with grpc-js: channels to such a
 * target list and watch the Service's EndpointSlices and balance per call over the ready pods
 * (those of the pod's own zone first, see `zoneAware`), with the channel's LB policy (choose `round_robin` or {@link LEAST_REQUEST_POLICY}, since
 * grpc-js's default `pick_first` uses one pod). `@kubernetes/client-node` is loaded only when
 * the first such target is resolved. Call it once at start-up; a later call replaces the
 * earlier registration for channels created after it.
 *
 * @example
 * ```ts
 * registerKubernetesResolver();
 * const client = new grpc.Client('kubernetes:///greeter.shop:grpc', grpc.credentials.createInsecure(), {
 *   'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
 * });
 * ```
 */
export function registerKubernetesResolver(options: KubernetesResolverOptions = {}): KubernetesResolverRegistration {
  const logger = (options.logger ?? createLogger()).child({ component: 'kubernetes-resolver' });
  let api: Promise<EndpointSliceApi> | undefined;
  const loadApi = (): Promise<EndpointSliceApi> => {
    api ??= loadEndpointSliceApi(options).then(
      (loaded) => {
        logger.debug({ server: loaded.server }, 'Kubernetes API client loaded');
        return loaded;
      },
      (error: unknown) => {
        api = undefined;
        throw error;
      },
    );
    return api;
  };
  const watches = new WatchRegistry({ api: loadApi, logger, backoff: options.backoff, watchTimeoutSeconds: options.watchTimeoutSeconds });
  let namespace = options.defaultNamespace;
  const defaultNamespace = () => {
    namespace ??= podNamespace();
    return namespace;
  };
  const ownZone =
    options.zoneAware === false
      ? undefined
      : new OwnZoneLookup({
          zone: options.zone ?? (process.env.KRPC_ZONE || undefined),
          nodeName: options.nodeName ?? (process.env.NODE_NAME || undefined),
          api: loadApi,
          logger,
        });
  experimental.registerResolver(KUBERNETES_SCHEME, createKubernetesResolverClass({ watches, defaultNamespace, ownZone, logger }));
  return {
    scheme: KUBERNETES_SCHEME,
    watchedServices: () => watches.services(),
    close: () => watches.close(),
  };
}
