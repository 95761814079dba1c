import { setTimeout as delay } from 'node:timers/promises';
import type { ChannelOptions } from '@grpc/grpc-js';
import { Registry, register } from 'prom-client';
import type { ClientCallObserver } from '../client/index.js';
import { createLogger, type Logger } from '../logging/index.js';
import type { Provider } from '../metadata/index.js';
import type { CallObserver, ListenAddress, RpcApplication } from '../server/index.js';
import { ClientMetrics } from './client-metrics.js';
import { ensureDefaultMetrics } from './default-metrics.js';
import { EventLoopMonitor } from './event-loop-monitor.js';
import { HealthReporter } from './health-reporter.js';
import { InFlightLimiter } from './in-flight-limiter.js';
import { MetricsService } from './metrics-service.js';
import { OverloadShedder } from './overload-shedder.js';
import { ProbeServer, type ReadinessState } from './probe-server.js';
import { ReadinessChecks } from './readiness-checks.js';
import { addReflection } from './reflection.js';
import { type RuntimeOptions, type RuntimeSettings, resolveRuntimeSettings } from './runtime-options.js';
import { sampledGauge } from './sampled-gauge.js';
import { ServerMetrics } from './server-metrics.js';
import { connectionAgeOptions } from './server-options.js';
import { installSignalHandlers, type SignalHandlerOptions } from './signal-handlers.js';

/**
 * How long after {@link Runtime.markReady} prom-client's default metrics are turned on (unless a
 * scrape comes first): registering them (timers, a GC observer) is work start-up to ready need not wait for.
 */
const DEFAULT_METRICS_DELAY_MS = 1000;

/**
 * How often readiness is re-evaluated while serving, so grpc.health.v1 (served by grpc-health-check
 * from its status map) follows the readiness checks without waiting for a `/readyz` probe.
 */
const HEALTH_REFRESH_MS = 1000;

/** Where the runtime is in the pod's life. */
export type RuntimePhase = 'starting' | 'serving' | 'draining' | 'stopped';

/** What {@link Runtime.attach} needs of an app. */
export type AttachableApp = Pick<RpcApplication, 'server' | 'services' | 'protos'>;
/** What {@link Runtime.drain} needs of an app. */
export type DrainableApp = Pick<RpcApplication, 'close'>;

/**
 * What makes an app a good Kubernetes citizen: probes (`/livez`, `/readyz`, grpc.health.v1),
 * Prometheus metrics (`/metrics`), reflection, graceful drain on SIGTERM and load shedding.
 * See docs/runtime.md for the order of calls.
 *
 * @example
 * ```ts
 * const runtime = new Runtime({ logger });
 * const app = await RpcApplication.create(AppModule, {
 *   logger, observers: runtime.observers, globalProviders: runtime.providers, serverOptions: runtime.serverOptions,
 * });
 * runtime.attach(app);
 * await runtime.listen();
 * await app.listen({ port: 50051 });
 * runtime.markReady();
 * runtime.installSignalHandlers(app);
 * ```
 */
export class Runtime {
  readonly settings: RuntimeSettings;
  /** The registry `/metrics` serves (prom-client's default unless configured). */
  readonly registry: Registry;
  /** Defines the app's own metrics; also injectable. */
  readonly metrics: MetricsService;
  /** The app's readiness checks; also injectable. */
  readonly readiness = new ReadinessChecks();
  /** Counts in-flight calls and enforces `maxInFlight`. */
  readonly limiter: InFlightLimiter;
  private readonly logger: Logger;
  private readonly serverMetrics: ServerMetrics | undefined;
  private readonly shedder: OverloadShedder | undefined;
  private readonly clientMetrics: ClientMetrics | undefined;
  private readonly eventLoop: EventLoopMonitor | undefined;
  private health: HealthReporter | undefined;
  private probes: ProbeServer | undefined;
  private current: RuntimePhase = 'starting';
  private draining: Promise<void> | undefined;
  private defaultMetricsTimer: NodeJS.Timeout | undefined;
  private healthRefreshTimer: NodeJS.Timeout | undefined;

  constructor(options: RuntimeOptions = {}) {
    this.settings = resolveRuntimeSettings(options);
    this.logger = (options.logger ?? createLogger()).child({ component: 'runtime' });
    this.registry = options.registry ?? register;
    this.metrics = new MetricsService(this.registry);
    this.limiter = new InFlightLimiter(this.settings.maxInFlight);
    const { metrics, maxInFlight, maxEventLoopLagMs } = this.settings;
    this.shedder = maxEventLoopLagMs > 0 ? new OverloadShedder({ maxLagMs: maxEventLoopLagMs }) : undefined;
    if (metrics || maxInFlight > 0 || this.shedder) {
      this.serverMetrics = new ServerMetrics({
        registry: metrics ? this.registry : new Registry(),
        limiter: this.limiter,
        shedder: this.shedder,
        buckets: options.buckets,
      });
    }
    if (metrics) {
      this.clientMetrics = new ClientMetrics({ registry: this.registry, buckets: options.buckets });
      const monitor = new EventLoopMonitor(this.settings.eventLoopWindowMs);
      const help = `Share of time the event loop was busy (0..1) over the last ${monitor.windowMs} ms.`;
      sampledGauge(this.registry, 'krpc_event_loop_utilization', help, () => monitor.value);
      monitor.start();
      this.eventLoop = monitor;
    }
  }

  /** Where the pod is in its life. */
  get phase(): RuntimePhase {
    return this.current;
  }

  /** Pass as `observers` to `RpcApplication.create` (put other observers after these). */
  get observers(): CallObserver[] {
    return this.serverMetrics ? [this.serverMetrics] : [];
  }

  /** Pass to the client layer: `grpc_client_*` metrics. */
  get clientObservers(): ClientCallObserver[] {
    return this.clientMetrics ? [this.clientMetrics] : [];
  }

  /** Pass as `globalProviders`: makes {@link MetricsService} and {@link ReadinessChecks} injectable. */
  get providers(): Provider[] {
    return [
      { provide: MetricsService, useValue: this.metrics },
      { provide: ReadinessChecks, useValue: this.readiness },
    ];
  }

  /** Default grpc-js server options (connection ageing); spread the app's own after them. */
  get serverOptions(): ChannelOptions {
    return connectionAgeOptions(this.settings);
  }

  /** Adds grpc.health.v1 (grpc-health-check) and reflection (`@grpc/reflection`) to the app's server (before `app.listen`). */
  attach(app: AttachableApp): void {
    if (this.settings.health) {
      this.health = new HealthReporter(app.services);
      this.health.addToServer(app.server);
      this.followReadiness();
    }
    if (this.settings.reflection) addReflection(app.server, app.protos.packageDefinition, this.settings.health);
  }

  /** Starts the HTTP endpoint (unless `http` is off); resolves with its address. */
  async listen(): Promise<ListenAddress | undefined> {
    if (!this.settings.http || this.probes) return undefined;
    const probes = new ProbeServer({
      live: () => this.current !== 'stopped',
      readiness: () => this.readinessState(),
      registry: this.settings.metrics ? this.registry : undefined,
      beforeScrape: this.defaultMetrics,
    });
    const address = await probes.listen(this.settings.host, this.settings.port);
    this.probes = probes;
    this.logger.info({ ...address }, 'Runtime endpoint serving /livez, /readyz and /metrics');
    return address;
  }

  /**
   * The app listens: from now on readiness follows the readiness checks, re-evaluated every second
   * for gRPC health and on every `/readyz`. prom-client's default metrics (`process_*`,
   * `nodejs_*`) are turned on a second later, or by the first scrape.
   */
  markReady(): void {
    if (this.current !== 'starting') return;
    this.current = 'serving';
    this.followReadiness();
    if (this.settings.metrics) this.defaultMetricsTimer ??= setTimeout(this.defaultMetrics, DEFAULT_METRICS_DELAY_MS).unref();
  }

  /** Evaluates readiness (running the cached checks), updates gRPC health and returns what `/readyz` answers. */
  async readinessState(): Promise<ReadinessState> {
    if (this.current !== 'serving') return this.notServing();
    const report = await this.readiness.run();
    if (this.current !== 'serving') return this.notServing();
    this.health?.setReady(report.ok);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    return { ready: report.ok, body: { status: report.ok ? 'ready' : 'not_ready', failed, checks: report.checks } };
  }

  /**
   * The SIGTERM sequence: not ready at once (503, NOT_SERVING), keep serving for the drain
   * delay, then `app.close` (GOAWAY, in-flight calls finish, the rest aborted at the shutdown
   * timeout, `onShutdown` hooks), then the HTTP endpoint closes. Safe to call twice.
   */
  drain(app: DrainableApp): Promise<void> {
    this.draining ??= this.runDrain(app);
    return this.draining;
  }

  /** SIGTERM/SIGINT → {@link Runtime.drain} → `exit(0)`; a second signal exits at once. Returns an uninstaller. */
  installSignalHandlers(app: DrainableApp, options: SignalHandlerOptions = {}): () => void {
    return installSignalHandlers(() => this.drain(app), { logger: this.logger, ...options });
  }

  /** Closes the HTTP endpoint, ends health Watch streams and stops sampling (the app is not touched). */
  async close(): Promise<void> {
    clearTimeout(this.defaultMetricsTimer);
    clearInterval(this.healthRefreshTimer);
    this.health?.close();
    this.eventLoop?.stop();
    this.shedder?.stop();
    await this.probes?.close();
    this.probes = undefined;
  }

  /** Turns on prom-client's default metrics once (when metrics are on). */
  private readonly defaultMetrics = (): void => {
    clearTimeout(this.defaultMetricsTimer);
    if (!this.settings.metrics) return;
    try {
      ensureDefaultMetrics(this.registry);
    } catch (error) {
      // e.g. the app registered a metric under one of their names: /metrics keeps serving the rest
      this.logger.warn({ err: error }, 'Could not turn on the default process and Node.js metrics');
    }
  };

  /** While serving, keeps gRPC health following the readiness checks: now, then every {@link HEALTH_REFRESH_MS}. */
  private followReadiness(): void {
    if (!this.health || this.current !== 'serving') return;
    void this.readinessState();
    this.healthRefreshTimer ??= setInterval(() => void this.readinessState(), HEALTH_REFRESH_MS).unref();
  }

  private notServing(): ReadinessState {
    this.health?.setReady(false);
    return { ready: false, body: { status: this.current === 'serving' ? 'not_ready' : this.current } };
  }

  private async runDrain(app: DrainableApp): Promise<void> {
    const { drainDelayMs, shutdownTimeoutMs } = this.settings;
    this.current = 'draining';
    clearInterval(this.healthRefreshTimer);
    this.health?.setReady(false);
    this.logger.info(
      { drainDelayMs, shutdownTimeoutMs, inFlight: this.limiter.current },
      'Draining: not ready; still serving for the drain delay',
    );
    if (drainDelayMs > 0) await delay(drainDelayMs);
    this.logger.info({ inFlight: this.limiter.current }, 'Closing the server: no new calls; waiting for in-flight ones');
    this.health?.close();
    await app.close({ timeoutMs: shutdownTimeoutMs });
    this.current = 'stopped';
    await this.close();
    this.logger.info('Stopped');
  }
}
