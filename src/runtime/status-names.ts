import { statusName } from '../errors/index.js';

/** The names of gRPC status codes 0..16 (`OK` … `UNAUTHENTICATED`), as go-grpc-prometheus labels them. */
export const STATUS_NAMES: readonly string[] = Array.from({ length: 17 }, (_, code) => statusName(code));
