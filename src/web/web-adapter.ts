import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type ConnectRouterOptions,
  type ContextValues,
  createConnectRouter,
} from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from '@connectrpc/connect-node';
import type { Logger } from '../logging/index.js';
import { binaryResponseAsText, isGrpcWebText, textRequestAsBinary } from './grpc-web-text.js';
import type { WebRequestHandler } from './web-listener.js';

/** Options of {@link webRequestHandler}. */
export interface WebAdapterOptions extends ConnectRouterOptions {
  readonly routes: (router: ConnectRouter) => void;
  readonly contextValues: (req: IncomingMessage | Http2ServerRequest) => ContextValues;
  readonly logger: Logger;
}

/**
 * The Node request handler of the web port: Connect's router and its universal handlers, with
 * connect-node's request and response bridges, as `connectNodeAdapter` builds it, plus the
 * gRPC-Web text form (translated to binary around Connect's gRPC-Web handler) and failures
 * logged through the app's logger rather than `console`.
 */
export function webRequestHandler(options: WebAdapterOptions): WebRequestHandler {
  const router = createConnectRouter({ acceptCompression: [compressionGzip, compressionBrotli], ...options });
  options.routes(router);
  const paths = new Map<string, UniversalHandler>();
  for (const handler of router.handlers) paths.set(handler.requestPath, handler);
  return (req, res) => {
    const handler = paths.get(req.url?.split('?', 1)[0] ?? '');
    if (!handler) {
      res.writeHead(404);
      res.end();
      return;
    }
    const request = universalRequestFromNodeRequest(req, res, undefined, options.contextValues(req));
    const text = isGrpcWebText(request);
    handler(text ? textRequestAsBinary(request) : request)
      .then((response) => universalResponseToNodeResponse(text ? binaryResponseAsText(response) : response, res))
      .catch((reason: unknown) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        options.logger.warn({ err: reason, method: handler.requestPath }, `The web port could not answer ${handler.requestPath}`);
      });
  };
}
