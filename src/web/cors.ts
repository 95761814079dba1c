import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { cors } from '@connectrpc/connect';
import type { WebRequestHandler } from './web-listener.js';

/** CORS settings of the web port. */
export interface CorsSettings {
  /** Origins allowed to call (`https://app.example.com`), or `*` for any. */
  readonly origins: readonly string[];
  /** Request headers the app's browser clients send besides the protocols' own (e.g. `authorization`). */
  readonly allowedHeaders: readonly string[];
  /** Response headers the app's browser clients read besides the protocols' own. */
  readonly exposedHeaders: readonly string[];
  /** How long a browser may cache a preflight answer (seconds). */
  readonly maxAgeSeconds: number;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/**
 * CORS in front of `handler`, with the request and response headers that `@connectrpc/connect`'s
 * `cors` constants list for the Connect, gRPC and gRPC-Web protocols. A preflight from an allowed
 * origin is answered 204; a call or preflight from another origin is refused 403 before any
 * handler runs. A request without `Origin`, or from the page's own origin, passes as is.
 */
export function withCors(handler: WebRequestHandler, settings: CorsSettings): WebRequestHandler {
  const any = settings.origins.includes('*');
  const allowed = new Set(settings.origins);
  const allowMethods = cors.allowedMethods.join(', ');
  const allowHeaders = [...cors.allowedHeaders, ...settings.allowedHeaders].join(', ');
  const exposeHeaders = [...cors.exposedHeaders, ...settings.exposedHeaders].join(', ');
  return (req: Request, res: Response) => {
    const origin = req.headers.origin;
    if (origin === undefined || sameOrigin(req, origin)) {
      handler(req, res);
      return;
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    res.setHeader('vary', 'Origin');
    if (!any && !allowed.has(origin)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(`Origin ${origin} is not allowed to call this service (web.corsOrigins)\n`);
      return;
    }
    res.setHeader('access-control-allow-origin', any ? '*' : origin);
    if (preflight) {
      res.writeHead(204, {
        'access-control-allow-methods': allowMethods,
        'access-control-allow-headers': allowHeaders,
        'access-control-max-age': String(settings.maxAgeSeconds),
      });
      res.end();
      return;
    }
    res.setHeader('access-control-expose-headers', exposeHeaders);
    handler(req, res);
  };
}

function sameOrigin(req: Request, origin: string): boolean {
  const host = req.headers[':authority'] ?? req.headers.host;
  if (typeof host !== 'string') return false;
  return origin === `http://${host}` || origin === `https://${host}`;
}
