import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { ConfigurationError } from '../errors/index.js';
import { sniffProtocol } from './protocol-sniff.js';

/** A request handler that serves HTTP/1.1 and HTTP/2 alike (what `connectNodeAdapter` returns). */
export type WebRequestHandler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

/** Options of {@link listenWeb}. */
export interface WebListenOptions {
  readonly host: string;
  readonly port: number;
  /** A request whose headers and body have not all arrived by then is cut off. */
  readonly requestTimeoutMs: number;
  /** A new connection must send its first bytes (and an HTTP/1 request its headers) within this. */
  readonly handshakeTimeoutMs: number;
  /** Idle keep-alive connections (HTTP/1.1) and sessions (HTTP/2) are closed after this. */
  readonly idleTimeoutMs: number;
  /** HTTP/2 streams one session may open at once. */
  readonly maxConcurrentStreams: number;
}

/** The web port: listening, and drained with the app. */
export interface WebServer {
  readonly port: number;
  /** Stops accepting; idle connections close now, busy ones once their requests are answered. */
  stopAccepting(): void;
  /** Resolves once every connection has closed. */
  whenClosed(): Promise<void>;
  /** Closes every connection now. */
  destroy(): void;
}

/**
 * Listens on one port for HTTP/1.1 and cleartext HTTP/2 (h2c, prior knowledge), as browsers,
 * curl and ingresses speak them, and serves both with `handler`. Node's HTTP/1.1 server bounds
 * slow headers and bodies (`headersTimeout`, `requestTimeout`); for HTTP/2 streams the same
 * request timeout is applied here.
 */
export function listenWeb(handler: WebRequestHandler, options: WebListenOptions): Promise<WebServer> {
  let draining = false;
  const sockets = new Set<Socket>();
  const sniffing = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  const closedWaiters: (() => void)[] = [];
  const checkClosed = () => {
    if (!draining || sockets.size > 0 || sessions.size > 0) return;
    clearInterval(sweep);
    clearInterval(closingIdle);
    for (const wake of closedWaiters.splice(0)) wake();
  };
  // HTTP/1.1 requests are bounded by Node's requestTimeout; HTTP/2 streams by this sweep, which costs a request one Map entry
  const receiving = new Map<Http2ServerRequest, number>();
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [req, deadline] of receiving) {
        if (req.complete || req.stream.destroyed) receiving.delete(req);
        else if (now >= deadline) {
          receiving.delete(req);
          req.stream.close(http2.constants.NGHTTP2_CANCEL); // the caller stops sending
        }
      }
    },
    Math.min(1000, options.requestTimeoutMs / 2),
  ).unref();
  let closingIdle: NodeJS.Timeout | undefined;
  const serve = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    if ('stream' in req) {
      if (!req.complete) receiving.set(req, Date.now() + options.requestTimeoutMs);
    } else if (draining) res.setHeader('connection', 'close');
    handler(req, res);
  };
  const h1 = http.createServer(
    {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: Math.min(options.handshakeTimeoutMs, options.requestTimeoutMs),
      keepAliveTimeout: options.idleTimeoutMs,
      // how often Node checks those timeouts (default 30 s, which would let a slow request hold its slot that long)
      connectionsCheckingInterval: Math.min(1000, options.handshakeTimeoutMs, options.requestTimeoutMs),
      noDelay: true,
    },
    serve,
  );
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: options.maxConcurrentStreams } }, serve);
  h2.on('session', (session) => {
    sessions.add(session);
    session.setTimeout(options.idleTimeoutMs, () => session.close());
    session.once('close', () => {
      sessions.delete(session);
      checkClosed();
    });
    if (draining) session.close();
  });
  // HTTP/1's own connection listener is kept (its timeouts run on it); h2c connections go to the http2 server instead
  const [http1Connection] = h1.listeners('connection') as ((socket: Socket) => void)[];
  h1.removeAllListeners('connection');
  h1.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      checkClosed();
    });
    sniffing.add(socket);
    sniffProtocol(socket, options.handshakeTimeoutMs, (ready, isHttp2) => {
      sniffing.delete(ready);
      if (isHttp2) {
        sockets.delete(ready);
        h2.emit('connection', ready); // the session reads what was put back; resuming would steal its bytes
      } else {
        http1Connection?.call(h1, ready);
        ready.resume();
      }
    });
  });
  return new Promise((resolve, reject) => {
    h1.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options)));
    h1.listen({ host: options.host, port: options.port }, () => {
      const address = h1.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        stopAccepting() {
          draining = true;
          h1.close();
          h1.closeIdleConnections();
          // a busy keep-alive connection turns idle once its response is written: closed then
          closingIdle = setInterval(() => h1.closeIdleConnections(), 100).unref();
          for (const socket of sniffing) socket.destroy();
          for (const session of sessions) session.close();
          checkClosed();
        },
        whenClosed: () =>
          new Promise<void>((wake) => {
            closedWaiters.push(wake);
            checkClosed();
          }),
        destroy() {
          clearInterval(sweep);
          clearInterval(closingIdle);
          for (const socket of sockets) socket.destroy();
          for (const session of sessions) session.destroy();
        },
      });
    });
  });
}

function listenError(error: NodeJS.ErrnoException, options: WebListenOptions): ConfigurationError {
  if (error.code === 'EADDRINUSE') {
    return new ConfigurationError('KRPC_PORT_IN_USE', `Port ${options.port} on ${options.host} (web) is already in use`, {
      fix: 'pick another webPort (KRPC_WEB_PORT; 0 picks a free one), or stop the process that holds it',
      cause: error,
    });
  }
  return new ConfigurationError('KRPC_LISTEN_FAILED', `Could not listen on ${options.host}:${options.port} (web): ${error.message}`, {
    fix: 'check web.host is an address of this machine',
    cause: error,
  });
}
