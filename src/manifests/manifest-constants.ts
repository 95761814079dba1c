/** The per-pod gauge the autoscalers scale on (registered by the runtime's `ServerMetrics`). */
export const IN_FLIGHT_METRIC = 'krpc_server_in_flight_requests';
/** Runtime HTTP paths the probes and Prometheus use (served by the runtime's `ProbeServer`). */
export const RUNTIME_PATHS = Object.freeze({ readiness: '/readyz', liveness: '/livez', metrics: '/metrics' });
/** Container port names. */
export const PORT_NAMES = Object.freeze({ grpc: 'grpc', runtime: 'runtime', web: 'http' });
/** The `app.kubernetes.io/managed-by` value and server-side-apply field manager. */
export const MANAGER = 'krpc-app';
/** Seconds added to drain delay + shutdown timeout for `onShutdown` hooks and exit (default grace). */
export const GRACE_MARGIN_SECONDS = 5;
/** The least margin an explicit grace period must leave over drain delay + shutdown timeout. */
export const MIN_GRACE_MARGIN_SECONDS = 1;
