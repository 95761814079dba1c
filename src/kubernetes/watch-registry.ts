import type { Logger } from '../logging/index.js';
import type { BackoffOptions } from './backoff.js';
import { EndpointSliceWatch, type SliceSnapshot } from './endpoint-slice-watch.js';
import type { EndpointSliceApi } from './kube-client.js';
import { type KubernetesTarget, serviceKey } from './target.js';

/** Options of {@link WatchRegistry}. */
export interface WatchRegistryOptions {
  readonly api: () => Promise<EndpointSliceApi>;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  readonly watchTimeoutSeconds?: number;
}

/**
 * One shared {@link EndpointSliceWatch} per Service, however many channels target it:
 * started by the first subscriber, stopped when the last one leaves.
 */
export class WatchRegistry {
  private readonly watches = new Map<string, EndpointSliceWatch>();

  constructor(private readonly options: WatchRegistryOptions) {}

  /**
   * Follows the slices of a Service. The listener gets the current snapshot on a later tick
   * (if there is one) and then every change; returns the unsubscribe function.
   */
  subscribe(target: Pick<KubernetesTarget, 'service' | 'namespace'>, listener: (snapshot: SliceSnapshot) => void): () => void {
    const key = serviceKey(target);
    let watch = this.watches.get(key);
    if (!watch) {
      watch = new EndpointSliceWatch(target, this.options);
      this.watches.set(key, watch);
    }
    const owner = watch;
    let subscribed = true;
    const unsubscribe = owner.subscribe(listener);
    owner.start();
    setImmediate(() => {
      const current = owner.snapshot();
      if (subscribed && (current.slices !== null || current.error !== undefined)) listener(current);
    });
    return () => {
      subscribed = false;
      unsubscribe();
      if (owner.subscribers === 0 && this.watches.get(key) === owner) {
        owner.stop();
        this.watches.delete(key);
      }
    };
  }

  /** Services currently watched (`NAMESPACE/NAME`). */
  services(): string[] {
    return [...this.watches.keys()];
  }

  /** Stops every watch. */
  close(): void {
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
  }
}
