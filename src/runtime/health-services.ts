/** The health service name native Kubernetes gRPC liveness probes ask for. */
export const LIVENESS_SERVICE = 'liveness';
/** The health service name native Kubernetes gRPC readiness probes ask for. */
export const READINESS_SERVICE = 'readiness';
