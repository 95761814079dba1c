import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSelfSignedCertificate } from './certificate.js';
import { ENDPOINT_SLICES, type EndpointSliceSpec, endpointSlice } from './endpoint-slices.js';
import { writeKubeconfig } from './kubeconfig.js';
import { type KubeObject, ObjectStore } from './object-store.js';
import { ServerSideApply } from './server-side-apply.js';
import { WatchStream } from './watch-stream.js';

/** Options of {@link FakeKubeApi.start}. */
export interface FakeKubeApiOptions {
  /** Bearer token the kubeconfig carries and the server requires (default `fake-token`). */
  readonly token?: string;
  /** Interval of BOOKMARK events on watches that allow them (default 0: only on {@link FakeKubeApi.sendBookmarks}). */
  readonly bookmarkIntervalMs?: number;
}

/** A request the fake server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly watch: boolean;
}

const ROUTE = /^\/(?:api|apis\/([^/]+))\/([^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/;
const KINDS: Record<string, string> = {
  endpointslices: 'EndpointSlice',
  services: 'Service',
  deployments: 'Deployment',
  configmaps: 'ConfigMap',
  nodes: 'Node',
};

/**
 * A fake Kubernetes API server at the wire, for driving the real `@kubernetes/client-node`:
 * HTTPS with a self-signed certificate, a generated kubeconfig that trusts it, generic
 * list/get/watch/create/replace/patch/delete over an {@link ObjectStore}, and controls to
 * change slices, compact history, drop watches, fail requests or go down entirely.
 */
export class FakeKubeApi {
  readonly store = new ObjectStore();
  readonly requests: RecordedRequest[] = [];
  /** Server-side apply and API discovery (see {@link ServerSideApply}). */
  readonly apply = new ServerSideApply(this.store);
  private readonly watches = new Set<WatchStream>();
  private available = true;
  private failures: { count: number; code: number } = { count: 0, code: 500 };

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly url: string,
    readonly kubeconfigPath: string,
    private readonly options: FakeKubeApiOptions,
  ) {}

  /** Generates a certificate and kubeconfig in a temp dir and listens on 127.0.0.1, port 0. */
  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const dir = await mkdtemp(join(tmpdir(), 'fake-kube-api-'));
    const { key, cert } = await generateSelfSignedCertificate(dir);
    let api: FakeKubeApi | undefined;
    const server = createServer({ key, cert }, (req, res) => api?.handle(req, res));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kubeconfigPath = await writeKubeconfig(dir, url, cert, options.token ?? 'fake-token');
    api = new FakeKubeApi(server, dir, url, kubeconfigPath, options);
    return api;
  }

  /** Creates or replaces an EndpointSlice (bumps the resourceVersion, notifies watches). */
  upsertEndpointSlice(spec: EndpointSliceSpec): KubeObject {
    return this.store.upsert(ENDPOINT_SLICES, endpointSlice(spec));
  }

  /** Creates or replaces a Node (cluster-scoped) with these labels, e.g. `topology.kubernetes.io/zone`. */
  upsertNode(name: string, labels: Record<string, string>): KubeObject {
    return this.store.upsert('core/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
  }

  /** Deletes an EndpointSlice. */
  deleteEndpointSlice(namespace: string, name: string): void {
    this.store.delete(ENDPOINT_SLICES, namespace, name);
  }

  /** Forgets the event history: resuming from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /** Destroys every open watch connection; returns how many there were. */
  dropWatches(): number {
    const open = [...this.watches];
    for (const watch of open) watch.drop();
    return open.length;
  }

  /** Sends ERROR 410 Gone on every open watch and ends it (the client must re-list). */
  expireWatches(): number {
    const open = [...this.watches];
    for (const watch of open) watch.expire();
    return open.length;
  }

  /** Ends every open watch cleanly (as the server's watch timeout does). */
  endWatches(): void {
    for (const watch of this.watches) watch.end();
  }

  /** Sends a BOOKMARK on every watch that allows them. */
  sendBookmarks(): void {
    for (const watch of this.watches) watch.bookmark();
  }

  /** Down: every request gets 503 and open watches are dropped. Up again with `true`. */
  setAvailable(available: boolean): void {
    this.available = available;
    if (!available) this.dropWatches();
  }

  /** Answers the next `count` requests with HTTP `code`. */
  failNext(count: number, code = 500): void {
    this.failures = { count, code };
  }

  /** Open watch connections. */
  get activeWatches(): number {
    return this.watches.size;
  }

  /** Waits until `predicate` holds, polling every 5 ms, for at most `timeoutMs`. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake kube-api: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops the server, drops every connection and removes the temp dir. */
  async close(): Promise<void> {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, authorization: req.headers.authorization, watch });
    if (!this.available) {
      status(res, 503, 'ServiceUnavailable', 'fake kube-api is down');
      return;
    }
    if (this.failures.count > 0) {
      this.failures.count--;
      status(res, this.failures.code, 'InternalError', 'injected failure');
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.options.token ?? 'fake-token'}`) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (this.apply.handle(req, res, url, () => readBody(req))) return;
    const route = ROUTE.exec(url.pathname);
    if (!route) {
      status(res, 404, 'NotFound', `no route for ${url.pathname}`);
      return;
    }
    const [, group = 'core', version = '', namespace = '', resource = '', name] = route;
    const collection = `${group}/${version}/${resource}`;
    const apiVersion = group === 'core' ? version : `${group}/${version}`;
    const kind = KINDS[resource] ?? 'Object';
    const selector = { collection, namespace, labelSelector: query.labelSelector ?? null };
    if (req.method === 'GET' && name === undefined && watch) {
      const timeoutSeconds = query.timeoutSeconds ? Number(query.timeoutSeconds) : null;
      const stream = new WatchStream(this.store, res, {
        query: selector,
        resourceVersion: query.resourceVersion ?? null,
        bookmarks: query.allowWatchBookmarks === 'true',
        bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 0,
        timeoutSeconds,
        kind,
        apiVersion,
      });
      this.watches.add(stream);
      res.on('close', () => this.watches.delete(stream));
      stream.start();
      return;
    }
    if (req.method === 'GET' && name === undefined) {
      const { items, resourceVersion } = this.store.list(selector);
      json(res, 200, { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: String(resourceVersion) }, items });
      return;
    }
    void readBody(req).then((body) => this.write(req.method ?? 'GET', res, { collection, namespace, name, body, kind, apiVersion }));
  }

  private write(
    method: string,
    res: ServerResponse,
    at: { collection: string; namespace: string; name?: string; body: string; kind: string; apiVersion: string },
  ): void {
    const existing = at.name === undefined ? undefined : this.store.get(at.collection, at.namespace, at.name);
    if (method === 'GET') {
      if (existing) json(res, 200, existing);
      else status(res, 404, 'NotFound', `${at.kind} "${at.name}" not found`);
      return;
    }
    if (method === 'DELETE') {
      if (!existing || at.name === undefined) {
        status(res, 404, 'NotFound', `${at.kind} "${at.name}" not found`);
        return;
      }
      this.store.delete(at.collection, at.namespace, at.name);
      status(res, 200, 'Success', 'deleted');
      return;
    }
    let parsed: KubeObject;
    try {
      parsed = JSON.parse(at.body) as KubeObject;
    } catch {
      status(res, 415, 'UnsupportedMediaType', 'the fake kube-api accepts JSON bodies only');
      return;
    }
    const object = method === 'PATCH' && existing ? (deepMerge(existing, parsed) as KubeObject) : parsed;
    object.metadata = { ...object.metadata, name: at.name ?? object.metadata?.name, namespace: at.namespace || object.metadata?.namespace };
    if (method === 'POST' && this.store.get(at.collection, at.namespace, object.metadata.name)) {
      status(res, 409, 'AlreadyExists', `${at.kind} "${object.metadata.name}" already exists`);
      return;
    }
    const stored = this.store.upsert(at.collection, { apiVersion: at.apiVersion, kind: at.kind, ...object });
    json(res, existing ? 200 : 201, stored);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof patch !== 'object' ||
    patch === null ||
    Array.isArray(patch)
  )
    return patch;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) merged[key] = value === null ? undefined : deepMerge(merged[key], value);
  return merged;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure', reason, message, code });
}
