import { type RpcContext, RpcMethod, RpcService, type ServiceImpl, UseInterceptors } from 'kubernetes-rpc';
import { echoMetadata } from './echo-metadata.js';
import type { Empty } from './generated/grpc/testing/Empty.js';
import type { SimpleRequest__Output } from './generated/grpc/testing/SimpleRequest.js';
import type { SimpleResponse } from './generated/grpc/testing/SimpleResponse.js';
import type { StreamingInputCallRequest__Output } from './generated/grpc/testing/StreamingInputCallRequest.js';
import type { StreamingInputCallResponse } from './generated/grpc/testing/StreamingInputCallResponse.js';
import type { StreamingOutputCallRequest__Output } from './generated/grpc/testing/StreamingOutputCallRequest.js';
import type { StreamingOutputCallResponse } from './generated/grpc/testing/StreamingOutputCallResponse.js';
import type { TestServiceHandlers } from './generated/grpc/testing/TestService.js';
import { echoStatus, replies, zeros } from './payload.js';

type Handlers = Omit<ServiceImpl<TestServiceHandlers>, 'unimplementedCall'>;

/**
 * `grpc.testing.TestService`, the server side of the public gRPC interop test descriptions.
 * `UnimplementedCall` has no handler, so it is answered UNIMPLEMENTED.
 */
@UseInterceptors(echoMetadata)
@RpcService('grpc.testing.TestService', { allowUnimplemented: true })
export class TestServiceImpl implements Handlers {
  @RpcMethod()
  emptyCall(): Empty {
    return {};
  }

  @RpcMethod()
  unaryCall(req: SimpleRequest__Output): SimpleResponse {
    echoStatus(req.responseStatus);
    return { payload: zeros(req.responseSize) };
  }

  @RpcMethod()
  cacheableUnaryCall(req: SimpleRequest__Output): SimpleResponse {
    return this.unaryCall(req);
  }

  @RpcMethod()
  async streamingInputCall(reqs: AsyncIterable<StreamingInputCallRequest__Output>): Promise<StreamingInputCallResponse> {
    let aggregatedPayloadSize = 0;
    for await (const req of reqs) aggregatedPayloadSize += req.payload?.body.length ?? 0;
    return { aggregatedPayloadSize };
  }

  @RpcMethod()
  async *streamingOutputCall(req: StreamingOutputCallRequest__Output, ctx: RpcContext): AsyncIterable<StreamingOutputCallResponse> {
    echoStatus(req.responseStatus);
    yield* replies(req.responseParameters, ctx);
  }

  /** Answers each request as it arrives. */
  @RpcMethod()
  async *fullDuplexCall(
    reqs: AsyncIterable<StreamingOutputCallRequest__Output>,
    ctx: RpcContext,
  ): AsyncIterable<StreamingOutputCallResponse> {
    for await (const req of reqs) {
      echoStatus(req.responseStatus);
      yield* replies(req.responseParameters, ctx);
    }
  }

  /** Buffers every request until the client half-closes, then answers them in order. */
  @RpcMethod()
  async *halfDuplexCall(
    reqs: AsyncIterable<StreamingOutputCallRequest__Output>,
    ctx: RpcContext,
  ): AsyncIterable<StreamingOutputCallResponse> {
    const buffered: StreamingOutputCallRequest__Output[] = [];
    for await (const req of reqs) buffered.push(req);
    for (const req of buffered) {
      echoStatus(req.responseStatus);
      yield* replies(req.responseParameters, ctx);
    }
  }
}
