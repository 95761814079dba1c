import { type ChannelOptions, experimental, Metadata, status } from '@grpc/grpc-js';
import { addressKey, mergeEndpointSlices, toGrpcEndpoints } from './endpoint-slice.js';
import type { SliceSnapshot } from './endpoint-slice-watch.js';
import { type KubernetesTarget, parseKubernetesTarget, serviceKey } from './target.js';
import type { WatchRegistry } from './watch-registry.js';

/** The shape grpc-js registers resolvers as. */
export type ResolverConstructor = Parameters<typeof experimental.registerResolver>[1];

/** What every resolver of one registration shares. */
export interface ResolverContext {
  readonly watches: WatchRegistry;
  /** The namespace of targets that name none. */
  readonly defaultNamespace: () => string;
}

/**
 * Builds the grpc-js resolver class for `kubernetes:///NAME.NAMESPACE:PORT`. Each channel gets
 * one resolver; resolvers of the same Service share one EndpointSlice watch. A resolver reports
 * (on a later tick, never synchronously) the merged ready endpoints whenever they change, an
 * empty list with a note naming the Service when there are none, and UNAVAILABLE while no list
 * could be read yet.
 */
export function createKubernetesResolverClass(context: ResolverContext): ResolverConstructor {
  return class KubernetesResolver implements experimental.Resolver {
    private readonly target: KubernetesTarget;
    private unsubscribe: (() => void) | undefined;
    private latest: SliceSnapshot | undefined;
    private pending: NodeJS.Immediate | undefined;
    private lastReported: string | undefined;

    constructor(
      target: experimental.GrpcUri,
      private readonly listener: experimental.ResolverListener,
      _options: ChannelOptions,
    ) {
      this.target = parseKubernetesTarget(target.path, context.defaultNamespace());
    }

    updateResolution(): void {
      if (this.unsubscribe) return;
      this.unsubscribe = context.watches.subscribe(this.target, (snapshot) => {
        this.latest = snapshot;
        this.pending ??= setImmediate(() => this.report());
      });
    }

    destroy(): void {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      if (this.pending) clearImmediate(this.pending);
      this.pending = undefined;
      this.latest = undefined;
      this.lastReported = undefined;
    }

    private report(): void {
      this.pending = undefined;
      const snapshot = this.latest;
      if (!snapshot || !this.unsubscribe) return;
      const name = `Service ${serviceKey(this.target)}`;
      if (snapshot.slices === null) {
        const key = `error:${snapshot.error}`;
        if (key === this.lastReported) return;
        this.lastReported = key;
        const details = `kubernetes resolver: cannot list the EndpointSlices of ${name}: ${snapshot.error}`;
        this.listener(experimental.statusOrFromError({ code: status.UNAVAILABLE, details, metadata: new Metadata() }), {}, null, details);
        return;
      }
      const addresses = mergeEndpointSlices(snapshot.slices.values(), this.target.port);
      const key = addresses.map(addressKey).join(',');
      if (key === this.lastReported) return;
      this.lastReported = key;
      if (addresses.length > 0) {
        this.listener(experimental.statusOrFromValue(toGrpcEndpoints(addresses)), {}, null, '');
        return;
      }
      // The empty list makes the policy drop its old endpoints; the error then moves it to
      // TRANSIENT_FAILURE (round_robin alone would sit in IDLE and queue calls until their deadline).
      const note = `kubernetes resolver: ${name} has no ready endpoints for port ${this.target.port}`;
      this.listener(experimental.statusOrFromValue([]), {}, null, note);
      this.listener(experimental.statusOrFromError({ code: status.UNAVAILABLE, details: note, metadata: new Metadata() }), {}, null, note);
    }

    /** The authority calls carry: `NAME.NAMESPACE.svc`; throws on a malformed target. */
    static getDefaultAuthority(target: experimental.GrpcUri): string {
      const parsed = parseKubernetesTarget(target.path, context.defaultNamespace());
      return `${parsed.service}.${parsed.namespace}.svc`;
    }
  };
}
