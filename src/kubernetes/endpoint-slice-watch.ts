import type { Logger } from '../logging/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { EndpointSliceLike } from './endpoint-slice.js';
import { type EndpointSliceApi, httpStatusOf, type WatchEvent } from './kube-client.js';
import { type KubernetesTarget, serviceKey } from './target.js';
import { openWatchSession, type WatchOutcome } from './watch-session.js';

/** What a watch knows about a Service's slices. */
export interface SliceSnapshot {
  /** Every slice of the Service by name; null until a list has succeeded. */
  readonly slices: ReadonlyMap<string, EndpointSliceLike> | null;
  /** Why there is no list yet. */
  readonly error?: string;
}

/** Options of {@link EndpointSliceWatch}. */
export interface EndpointSliceWatchOptions {
  readonly api: () => Promise<EndpointSliceApi>;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  /** Server-side watch timeout in seconds; randomised up to twice this (default 300). */
  readonly watchTimeoutSeconds?: number;
  /** A watch that lasted this long counts as healthy and resets the backoff (default 10 000 ms). */
  readonly healthyAfterMs?: number;
  /** A list that takes longer fails and is retried (default 30 000 ms). */
  readonly listTimeoutMs?: number;
}

/**
 * List-then-watch of one Service's EndpointSlices (`kubernetes.io/service-name=NAME`), kept
 * in a map by slice name so that every slice counts. On 410 Gone it re-lists and watches from
 * the new resourceVersion; a watch that ends or fails is reopened after a capped exponential
 * backoff; while the API is unreachable the last good slices stay in place and the failure is
 * logged once (and its recovery once).
 */
export class EndpointSliceWatch {
  private slices: Map<string, EndpointSliceLike> | null = null;
  private firstError: string | undefined;
  private resourceVersion = '';
  private needsList = true;
  private stopped = true;
  private degraded = false;
  private abortWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<(snapshot: SliceSnapshot) => void>();
  private readonly selector: string;
  private readonly name: string;

  constructor(
    readonly target: Pick<KubernetesTarget, 'service' | 'namespace'>,
    private readonly options: EndpointSliceWatchOptions,
  ) {
    this.backoff = new Backoff(options.backoff);
    this.selector = `kubernetes.io/service-name=${target.service}`;
    this.name = serviceKey(target);
  }

  /** The current snapshot. */
  snapshot(): SliceSnapshot {
    return { slices: this.slices, error: this.firstError };
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: SliceSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of subscribers. */
  get subscribers(): number {
    return this.listeners.size;
  }

  /** Starts listing and watching (idempotent). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run();
  }

  /** Stops the watch and any pending retry. */
  stop(): void {
    this.stopped = true;
    this.abortWatch?.();
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let api: EndpointSliceApi;
      try {
        api = await this.options.api();
      } catch (error) {
        this.failed('load the Kubernetes configuration', error);
        await this.sleep(this.backoff.next());
        continue;
      }
      if (this.needsList && !(await this.list(api))) {
        await this.sleep(this.backoff.next());
        continue;
      }
      if (this.stopped) return;
      const outcome = await this.watch(api);
      if (this.stopped) return;
      if (outcome.gone) {
        this.options.logger.debug(
          { service: this.name, resourceVersion: this.resourceVersion },
          'EndpointSlice watch expired (410 Gone), re-listing',
        );
        this.needsList = true;
        if (outcome.events === 0) await this.sleep(this.backoff.next());
        continue;
      }
      if (outcome.error !== null) this.failed('watch EndpointSlices', outcome.error);
      else this.options.logger.debug({ service: this.name }, 'EndpointSlice watch closed, reopening');
      if (outcome.error === null && (outcome.events > 0 || outcome.durationMs >= (this.options.healthyAfterMs ?? 10_000)))
        this.backoff.reset();
      await this.sleep(this.backoff.next());
    }
  }

  private async list(api: EndpointSliceApi): Promise<boolean> {
    try {
      const { items, resourceVersion } = await withTimeout(
        api.list(this.target.namespace, this.selector),
        this.options.listTimeoutMs ?? 30_000,
      );
      if (this.stopped) return false;
      this.slices = new Map(items.map((slice) => [slice.metadata?.name ?? '', slice]));
      this.firstError = undefined;
      this.resourceVersion = resourceVersion;
      this.needsList = false;
      this.recovered();
      this.emit();
      return true;
    } catch (error) {
      this.failed('list EndpointSlices', error);
      if (this.slices === null) {
        this.firstError = describe(error);
        this.emit();
      }
      return false;
    }
  }

  private async watch(api: EndpointSliceApi): Promise<WatchOutcome> {
    const timeoutSeconds = Math.round((this.options.watchTimeoutSeconds ?? 300) * (1 + Math.random()));
    const params = { labelSelector: this.selector, resourceVersion: this.resourceVersion, timeoutSeconds };
    const session = openWatchSession(api, this.target.namespace, params, (event) => {
      if (this.stopped) return;
      this.backoff.reset();
      this.recovered();
      this.apply(event);
    });
    this.abortWatch = session.abort;
    const outcome = await session.outcome;
    this.abortWatch = undefined;
    return outcome;
  }

  private apply(event: WatchEvent): void {
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK' || this.slices === null) return;
    const name = event.object.metadata?.name ?? '';
    if (event.type === 'DELETED') this.slices.delete(name);
    else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.slices.set(name, event.object);
    else return;
    this.emit();
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of [...this.listeners]) listener(snapshot);
  }

  private failed(action: string, error: unknown): void {
    const fields = { service: this.name, error: describe(error), status: httpStatusOf(error) };
    if (this.degraded) {
      this.options.logger.debug(fields, `still cannot ${action}`);
      return;
    }
    this.degraded = true;
    const hint = httpStatusOf(error) === 403 ? ' (RBAC: the pod needs get/list/watch on endpointslices.discovery.k8s.io)' : '';
    this.options.logger.warn(
      fields,
      `cannot ${action} of Service ${this.name}${hint}; keeping the last known endpoints and retrying with backoff`,
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.options.logger.info({ service: this.name }, `EndpointSlices of Service ${this.name} are being watched again`);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
