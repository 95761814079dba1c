import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ConfigurationError } from '../errors/index.js';
import type { ListenAddress } from '../server/index.js';

/** What `/readyz` answers. */
export interface ReadinessState {
  readonly ready: boolean;
  /** Serialized as the JSON body. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the HTTP endpoint serves. */
export interface ProbeSources {
  /** `/livez`: true while the process works (also while draining). */
  live(): boolean;
  /** `/readyz`. */
  readiness(): Promise<ReadinessState>;
  /** `/metrics`; absent when metrics are off (then 404). */
  readonly registry?: Registry;
  /** Runs before each `/metrics` scrape (the runtime turns on its default metrics there). */
  readonly beforeScrape?: () => void;
}

/**
 * The runtime's HTTP endpoint (plain `node:http`): `GET /livez`, `GET /readyz`, `GET /metrics`;
 * 404 for other paths, 405 for other methods.
 */
export class ProbeServer {
  private readonly server: Server;

  constructor(private readonly sources: ProbeSources) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: String(error) }));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 65_000;
  }

  /** Binds `host:port` (0 picks a free port). */
  listen(host: string, port: number): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const fail = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port));
      this.server.once('error', fail);
      this.server.listen(port, host, () => {
        this.server.off('error', fail);
        resolve({ host, port: (this.server.address() as AddressInfo).port });
      });
    });
  }

  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const known = path === '/livez' || path === '/readyz' || (path === '/metrics' && this.sources.registry !== undefined);
    if (!known) return send(res, 404, 'text/plain', 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'method not allowed\n');
    }
    if (path === '/livez') {
      const live = this.sources.live();
      return send(res, live ? 200 : 503, 'application/json', JSON.stringify({ status: live ? 'live' : 'stopped' }));
    }
    if (path === '/readyz') {
      const state = await this.sources.readiness();
      return send(res, state.ready ? 200 : 503, 'application/json', JSON.stringify(state.body));
    }
    const registry = this.sources.registry as Registry;
    this.sources.beforeScrape?.();
    send(res, 200, registry.contentType, await registry.metrics());
  }
}

/** The framework's error for a runtime port that cannot be bound, naming the port and the setting. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new ConfigurationError('KRPC_PORT_IN_USE', `Runtime port ${port} on ${host} (probes and metrics) is already in use`, {
      fix: 'pick another with --runtime-port or KRPC_RUNTIME_PORT (0 picks a free one), or stop the process that holds it',
      cause: error,
    });
  }
  return new ConfigurationError('KRPC_LISTEN_FAILED', `Could not listen on ${host}:${port} for probes and metrics: ${error.message}`, {
    fix: 'check KRPC_RUNTIME_HOST is an address of this machine',
    cause: error,
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
