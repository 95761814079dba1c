export { ClientMetrics, type ClientMetricsOptions } from './client-metrics.js';
export { type Cell, CounterCells } from './counter-cells.js';
export { ensureDefaultMetrics } from './default-metrics.js';
export { EventLoopLag } from './event-loop-lag.js';
export { EventLoopMonitor } from './event-loop-monitor.js';
export { HealthReporter } from './health-reporter.js';
export { LIVENESS_SERVICE, READINESS_SERVICE } from './health-services.js';
export { InFlightLimiter } from './in-flight-limiter.js';
export { MetricsService } from './metrics-service.js';
export { OverloadShedder, type OverloadShedderOptions } from './overload-shedder.js';
export { ProbeServer, type ProbeSources, type ReadinessState } from './probe-server.js';
export {
  type ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessCheckResult,
  ReadinessChecks,
  type ReadinessReport,
} from './readiness-checks.js';
export { registeredMetric } from './registered-metric.js';
export { type LatencyChild, METHOD_LABELS, type RpcMethodCells, type RpcMetricHelp, RpcMetricSet } from './rpc-metric-set.js';
export { type AttachableApp, type DrainableApp, Runtime, type RuntimePhase } from './runtime.js';
export { KUBERNETES_DRAIN_DELAY_MS, type RuntimeOptions, type RuntimeSettings, resolveRuntimeSettings } from './runtime-options.js';
export { sampledGauge } from './sampled-gauge.js';
export { ServerMetrics, type ServerMetricsOptions } from './server-metrics.js';
export { type ConnectionAgeSettings, connectionAgeOptions } from './server-options.js';
export { installSignalHandlers, type SignalHandlerOptions } from './signal-handlers.js';
export { STATUS_NAMES } from './status-names.js';
