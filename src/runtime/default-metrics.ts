import type { Registry } from 'prom-client';
import { promDefaultMetric, promMetricClasses } from './prom-client-parts.js';

const collecting = new WeakSet<Registry>();

/**
 * prom-client's default metric modules after `processCpuTotal`, in the order its
 * `collectDefaultMetrics` runs them (`prom-client/lib/defaultMetrics.js`; a unit test fails when
 * an upgrade changes the list). `processResources` needs `process.getActiveResourcesInfo`.
 */
export const PROM_DEFAULT_METRICS_AFTER_CPU: readonly string[] = [
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  ...(typeof process.getActiveResourcesInfo === 'function' ? ['processResources'] : []),
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];

/**
 * Turns on prom-client's Node.js default metrics (`process_*`, `nodejs_*`) for `registry`, once:
 * the same metrics, names, help texts and order as prom-client's `collectDefaultMetrics`, from
 * the same modules, loaded on their own. The three `process_cpu_*` counters are defined here,
 * as prom-client's `processCpuTotal` defines them without exemplars: that module loads
 * `@opentelemetry/api` (for exemplars, which the runtime does not turn on), and with it and
 * prom-client's index ~1.2 MB of heap that every full garbage collection of a busy server walks
 * (docs/performance.md, "What sets unary p99 under saturation"). The runtime calls this just
 * after readiness, or on the first scrape if that comes earlier. Throws, like prom-client, when a
 * name is taken; the metrics registered before it stay.
 */
export function ensureDefaultMetrics(registry: Registry): void {
  if (collecting.has(registry) || registry.getSingleMetric('process_cpu_user_seconds_total') !== undefined) return;
  collecting.add(registry);
  processCpuTotal(registry);
  const config = { eventLoopMonitoringPrecision: 10 };
  for (const name of PROM_DEFAULT_METRICS_AFTER_CPU) promDefaultMetric(name)(registry, config);
}

/** `process_cpu_user_seconds_total`, `process_cpu_system_seconds_total`, `process_cpu_seconds_total`. */
function processCpuTotal(registry: Registry): void {
  const { Counter } = promMetricClasses();
  let last = process.cpuUsage();
  const user = new Counter({
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    registers: [registry],
    // one collect sets all three, as in prom-client
    collect() {
      const now = process.cpuUsage();
      const userSeconds = (now.user - last.user) / 1e6;
      const systemSeconds = (now.system - last.system) / 1e6;
      last = now;
      user.inc(userSeconds);
      system.inc(systemSeconds);
      total.inc(userSeconds + systemSeconds);
    },
  });
  const system = new Counter({
    name: 'process_cpu_system_seconds_total',
    help: 'Total system CPU time spent in seconds.',
    registers: [registry],
  });
  const total = new Counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers: [registry],
  });
}
