export { CallbackGauge } from './callback-gauge.js';
export { ClientMetrics, type ClientMetricsOptions } from './client-metrics.js';
export { ensureDefaultMetrics } from './default-metrics.js';
export { EventLoopMonitor } from './event-loop-monitor.js';
export { HealthReporter, LIVENESS_SERVICE, READINESS_SERVICE } from './health-reporter.js';
export { InFlightLimiter } from './in-flight-limiter.js';
export { MetricsService } from './metrics-service.js';
export { DEFAULT_BUCKETS, HistogramCell, PreboundHistogram } from './prebound-histogram.js';
export { type Cell, PreboundMetric, PreboundScalar, registerOnce, type Sample } from './prebound-metric.js';
export { ProbeServer, type ProbeSources, type ReadinessState } from './probe-server.js';
export {
  type ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessCheckResult,
  ReadinessChecks,
  type ReadinessReport,
} from './readiness-checks.js';
export { METHOD_LABELS, type RpcMethodCells, type RpcMetricHelp, RpcMetricSet } from './rpc-metric-set.js';
export { type AttachableApp, type DrainableApp, Runtime, type RuntimePhase } from './runtime.js';
export { KUBERNETES_DRAIN_DELAY_MS, type RuntimeOptions, type RuntimeSettings, resolveRuntimeSettings } from './runtime-options.js';
export { ServerMetrics, type ServerMetricsOptions } from './server-metrics.js';
export { type ConnectionAgeSettings, connectionAgeOptions } from './server-options.js';
export { installSignalHandlers, type SignalHandlerOptions } from './signal-handlers.js';
export { STATUS_NAMES } from './status-names.js';
