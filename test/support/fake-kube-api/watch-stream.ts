import type { ServerResponse } from 'node:http';
import type { ObjectStore, Query, StoreEvent } from './object-store.js';

/** Options of one watch connection. */
export interface WatchStreamOptions {
  readonly query: Query;
  /** The `resourceVersion` parameter: absent or `0` gets synthetic ADDED events first. */
  readonly resourceVersion: string | null;
  readonly bookmarks: boolean;
  readonly bookmarkIntervalMs: number;
  readonly timeoutSeconds: number | null;
  readonly kind: string;
  readonly apiVersion: string;
}

/**
 * One streaming watch, as the API server does it: HTTP 200 with a chunked body of
 * newline-delimited `{type, object}` events; `ERROR` with a 410 Status when the requested
 * resourceVersion was compacted, then the end of the stream.
 */
export class WatchStream {
  private readonly cleanups: (() => void)[] = [];
  closed = false;

  constructor(
    private readonly store: ObjectStore,
    readonly response: ServerResponse,
    readonly options: WatchStreamOptions,
  ) {}

  /** Sends the initial events, then follows the store until the connection ends. */
  start(): void {
    const res = this.response;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    res.on('close', () => this.dispose());
    const { query, resourceVersion } = this.options;
    if (resourceVersion === null || resourceVersion === '' || resourceVersion === '0') {
      for (const item of this.store.list(query).items) this.send('ADDED', item);
    } else {
      const replay = this.store.eventsSince(query, Number(resourceVersion));
      if (replay === 'gone') {
        this.send('ERROR', goneStatus(`too old resource version: ${resourceVersion} (${this.store.resourceVersion})`));
        res.end();
        return;
      }
      for (const event of replay) this.send(event.type, event.object);
    }
    const matches = this.store.matcher(query);
    const onEvent = (event: StoreEvent) => {
      if (event.collection === query.collection && matches(event.namespace, event.object)) this.send(event.type, event.object);
    };
    this.store.on('event', onEvent);
    this.cleanups.push(() => this.store.off('event', onEvent));
    if (this.options.bookmarks && this.options.bookmarkIntervalMs > 0) {
      const timer = setInterval(() => this.bookmark(), this.options.bookmarkIntervalMs);
      this.cleanups.push(() => clearInterval(timer));
    }
    if (this.options.timeoutSeconds !== null) {
      const timer = setTimeout(() => res.end(), this.options.timeoutSeconds * 1000);
      this.cleanups.push(() => clearTimeout(timer));
    }
  }

  /** Sends a BOOKMARK with the current resourceVersion, if the client asked for bookmarks. */
  bookmark(): void {
    if (!this.options.bookmarks) return;
    this.send('BOOKMARK', {
      kind: this.options.kind,
      apiVersion: this.options.apiVersion,
      metadata: { resourceVersion: String(this.store.resourceVersion) },
    });
  }

  /** Ends the stream cleanly. */
  end(): void {
    this.response.end();
  }

  /** Drops the connection (the socket is destroyed, as when a load balancer or the server dies). */
  drop(): void {
    this.dispose();
    this.response.socket?.destroy();
    this.response.destroy();
  }

  /** Sends ERROR 410 (as when the server's watch cache lost the client's position) and ends. */
  expire(): void {
    this.send('ERROR', goneStatus(`too old resource version (${this.store.resourceVersion})`));
    this.dispose();
    this.response.end();
  }

  private send(type: string, object: unknown): void {
    if (!this.closed) this.response.write(`${JSON.stringify({ type, object })}\n`);
  }

  private dispose(): void {
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

function goneStatus(message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
}
