import { EventEmitter } from 'node:events';
import { parseLabelSelector } from './label-selector.js';

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** A change to the store, as a watch streams it. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** Collection key: `GROUP/VERSION/RESOURCE` (`core` for the legacy group). */
  readonly collection: string;
  readonly namespace: string;
  readonly resourceVersion: number;
  readonly object: KubeObject;
}

/** Which objects a list or watch covers. */
export interface Query {
  readonly collection: string;
  /** Empty for all namespaces. */
  readonly namespace: string;
  readonly labelSelector?: string | null;
}

/**
 * A generic in-memory object store with one global resourceVersion (like etcd's revision), a
 * history of events for watches that resume, and compaction (after which older versions are
 * gone: 410). Works for any resource path, so `apply` tests can reuse it.
 */
export class ObjectStore extends EventEmitter<{ event: [StoreEvent] }> {
  private revision = 1000;
  private compactedAt = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];

  /** The current global resourceVersion. */
  get resourceVersion(): number {
    return this.revision;
  }

  /** Creates or replaces an object; bumps the resourceVersion and emits ADDED or MODIFIED. */
  upsert(collection: string, object: KubeObject): KubeObject {
    const namespace = object.metadata.namespace ?? '';
    const items = this.collection(collection);
    const key = `${namespace}/${object.metadata.name}`;
    const existed = items.has(key);
    const stored = this.stamp(object);
    items.set(key, stored);
    this.record({ type: existed ? 'MODIFIED' : 'ADDED', collection, namespace, resourceVersion: this.revision, object: stored });
    return stored;
  }

  /** Deletes an object; returns it (with the deletion's resourceVersion) or undefined. */
  delete(collection: string, namespace: string, name: string): KubeObject | undefined {
    const items = this.collection(collection);
    const existing = items.get(`${namespace}/${name}`);
    if (!existing) return undefined;
    items.delete(`${namespace}/${name}`);
    const stored = this.stamp(existing);
    this.record({ type: 'DELETED', collection, namespace, resourceVersion: this.revision, object: stored });
    return stored;
  }

  /** One object. */
  get(collection: string, namespace: string, name: string): KubeObject | undefined {
    return this.collection(collection).get(`${namespace}/${name}`);
  }

  /** The objects a query covers, and the resourceVersion of the list. */
  list(query: Query): { items: KubeObject[]; resourceVersion: number } {
    const matches = this.matcher(query);
    const items = [...this.collection(query.collection).values()].filter((o) => matches(o.metadata.namespace ?? '', o));
    return { items: structuredClone(items), resourceVersion: this.revision };
  }

  /** Events after `resourceVersion` a query covers, or `'gone'` if compaction removed some. */
  eventsSince(query: Query, resourceVersion: number): StoreEvent[] | 'gone' {
    if (resourceVersion < this.compactedAt) return 'gone';
    const matches = this.matcher(query);
    return this.history.filter(
      (e) => e.resourceVersion > resourceVersion && e.collection === query.collection && matches(e.namespace, e.object),
    );
  }

  /** A predicate for events a query covers. */
  matcher(query: Query): (namespace: string, object: KubeObject) => boolean {
    const selector = parseLabelSelector(query.labelSelector);
    return (namespace, object) => (query.namespace === '' || namespace === query.namespace) && selector(object.metadata.labels);
  }

  /** Forgets the history: watches from any older resourceVersion get 410 Gone. */
  compact(): void {
    this.compactedAt = this.revision;
    this.history = [];
  }

  private stamp(object: KubeObject): KubeObject {
    this.revision++;
    const copy = structuredClone(object);
    copy.metadata.resourceVersion = String(this.revision);
    return copy;
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    this.emit('event', event);
  }

  private collection(key: string): Map<string, KubeObject> {
    let items = this.objects.get(key);
    if (!items) {
      items = new Map();
      this.objects.set(key, items);
    }
    return items;
  }
}
