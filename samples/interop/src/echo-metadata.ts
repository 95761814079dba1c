import type { RpcContext, ServerInterceptor } from 'kubernetes-rpc';

const ECHO_INITIAL = 'x-grpc-test-echo-initial';
const ECHO_TRAILING = 'x-grpc-test-echo-trailing-bin';

/**
 * The interop "custom_metadata" behaviour: echoes `x-grpc-test-echo-initial` in the response
 * headers and `x-grpc-test-echo-trailing-bin` in the trailers, whatever the call's outcome.
 */
export const echoMetadata: ServerInterceptor = (ctx: RpcContext, next) => {
  const initial = ctx.metadata.get(ECHO_INITIAL);
  if (initial.length > 0) ctx.sendHeader({ [ECHO_INITIAL]: initial[0] as string });
  for (const value of ctx.metadata.get(ECHO_TRAILING)) ctx.setTrailer(ECHO_TRAILING, value);
  return next();
};
