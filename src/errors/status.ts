import { status as grpcStatus } from '@grpc/grpc-js';

/**
 * The gRPC status codes (the same numbers as `@grpc/grpc-js`'s `status`).
 *
 * @example
 * ```ts
 * throw new RpcError(Status.NOT_FOUND, `no user ${id}`);
 * ```
 */
export const Status = grpcStatus;
/** A gRPC status code. */
export type Status = grpcStatus;

/** The name of a status code, e.g. `statusName(5) === 'NOT_FOUND'`. */
export function statusName(code: number): string {
  return (grpcStatus as unknown as Record<number, string>)[code] ?? `CODE_${code}`;
}
