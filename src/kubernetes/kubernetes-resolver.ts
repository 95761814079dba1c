import { type ChannelOptions, experimental, Metadata, status } from '@grpc/grpc-js';
import type { Logger } from '../logging/index.js';
import { addressKey, type BackendAddress, mergeEndpointSlices, toGrpcEndpoints } from './endpoint-slice.js';
import type { SliceSnapshot } from './endpoint-slice-watch.js';
import type { OwnZoneLookup } from './own-zone.js';
import { type KubernetesTarget, parseKubernetesTarget, serviceKey } from './target.js';
import type { WatchRegistry } from './watch-registry.js';
import { preferZone, type ZoneMode } from './zone-preference.js';

/** The shape grpc-js registers resolvers as. */
export type ResolverConstructor = Parameters<typeof experimental.registerResolver>[1];

/** What every resolver of one registration shares. */
export interface ResolverContext {
  readonly watches: WatchRegistry;
  /** The namespace of targets that name none. */
  readonly defaultNamespace: () => string;
  /** The pod's zone, for same-zone preference; undefined turns zone-aware routing off. */
  readonly ownZone?: OwnZoneLookup;
  readonly logger: Logger;
}

/**
 * Builds the grpc-js resolver class for `kubernetes:///NAME.NAMESPACE:PORT`. Each channel gets
 * one resolver; resolvers of the same Service share one EndpointSlice watch. A resolver reports
 * (on a later tick, never synchronously) the merged ready endpoints whenever they change, an
 * empty list with a note naming the Service when there are none, and UNAVAILABLE while no list
 * could be read yet. With an own zone it reports the endpoints {@link preferZone} picks for it.
 */
export function createKubernetesResolverClass(context: ResolverContext): ResolverConstructor {
  return class KubernetesResolver implements experimental.Resolver {
    private readonly target: KubernetesTarget;
    private unsubscribe: (() => void) | undefined;
    private latest: SliceSnapshot | undefined;
    private pending: NodeJS.Immediate | undefined;
    private lastReported: string | undefined;
    private lastMode: ZoneMode | undefined;

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
      const merged = mergeEndpointSlices(snapshot.slices.values(), this.target.port);
      const addresses = this.inZone(merged, name);
      if (addresses === undefined) return;
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

    /** The endpoints for this pod's zone; undefined while the zone is still being looked up (reports again then). */
    private inZone(merged: BackendAddress[], name: string): readonly BackendAddress[] | undefined {
      const lookup = context.ownZone;
      if (!lookup || merged.length === 0) return merged;
      const own = lookup.current();
      if (own === undefined) {
        void lookup.get().then(() => {
          if (this.unsubscribe) this.pending ??= setImmediate(() => this.report());
        });
        return undefined;
      }
      if (own.zone === undefined) {
        if (merged.some((a) => a.zone !== undefined)) lookup.noteUnknown();
        return merged;
      }
      const choice = preferZone(merged, own.zone);
      if (choice.mode !== this.lastMode) {
        if (this.lastMode !== undefined || choice.mode === 'all') {
          const fields = { service: name, zone: own.zone, mode: choice.mode, reason: choice.reason };
          context.logger.info(
            fields,
            choice.mode === 'all'
              ? `${name}: calls spill over to every zone (${choice.reason})`
              : `${name}: calls stay in zone ${own.zone} (${choice.mode})`,
          );
        }
        this.lastMode = choice.mode;
      }
      return choice.addresses;
    }

    /** The authority calls carry: `NAME.NAMESPACE.svc`; throws on a malformed target. */
    static getDefaultAuthority(target: experimental.GrpcUri): string {
      const parsed = parseKubernetesTarget(target.path, context.defaultNamespace());
      return `${parsed.service}.${parsed.namespace}.svc`;
    }
  };
}
