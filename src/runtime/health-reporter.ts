import type { Server, ServerWritableStream } from '@grpc/grpc-js';
import type { HealthImplementation, ServingStatus } from 'grpc-health-check';
import { Status } from '../errors/index.js';
import { addLazyService, captureServices, type LoadedService, type MethodShape, requireLazily } from './lazy-service.js';

/** The health service name native Kubernetes gRPC liveness probes ask for. */
export const LIVENESS_SERVICE = 'liveness';
/** The health service name native Kubernetes gRPC readiness probes ask for. */
export const READINESS_SERVICE = 'readiness';

type Handler = (call: never, callback?: never) => void;

/** The service grpc-health-check serves, as {@link addLazyService} adds it before its proto is parsed. */
export const HEALTH_SERVICE = 'grpc.health.v1.Health';
export const HEALTH_METHODS: Readonly<Record<string, MethodShape>> = {
  Check: { path: `/${HEALTH_SERVICE}/Check`, requestStream: false, responseStream: false, originalName: 'check' },
  Watch: { path: `/${HEALTH_SERVICE}/Watch`, requestStream: false, responseStream: true, originalName: 'watch' },
  List: { path: `/${HEALTH_SERVICE}/List`, requestStream: false, responseStream: false, originalName: 'list' },
};

/**
 * `grpc-health-check`, loaded on first use: its import parses health.proto with its own copy of
 * proto-loader, which start-up need not wait for.
 */
export function loadHealthCheck(): typeof import('grpc-health-check') {
  return requireLazily('grpc-health-check') as typeof import('grpc-health-check');
}

/**
 * grpc.health.v1 (from `grpc-health-check`) for one app: the overall `''` service, each served
 * service by name and `readiness` follow readiness; `liveness` is SERVING until the server stops.
 * Check on anything but `liveness` first refreshes readiness through `refresh` (its checks are
 * cached). Open Watch streams are ended with UNAVAILABLE on {@link HealthReporter.close}, so they
 * do not hold a graceful shutdown open. The service is added at once, but `grpc-health-check` is
 * loaded (and seeded with the current statuses) only when the first health call arrives.
 */
export class HealthReporter {
  private impl: HealthImplementation | undefined;
  private readonly watches = new Set<ServerWritableStream<unknown, unknown>>();
  private readonly names: readonly string[];
  private readonly current = new Map<string, ServingStatus>();
  private closed = false;

  /**
   * @param services the served services' full names
   * @param refresh re-evaluates readiness (and calls {@link HealthReporter.setReady}) before a Check answers
   */
  constructor(
    services: readonly string[],
    private readonly refresh: () => Promise<unknown>,
  ) {
    this.names = ['', READINESS_SERVICE, ...services];
    for (const name of this.names) this.set(name, 'NOT_SERVING');
    this.set(LIVENESS_SERVICE, 'SERVING');
  }

  /** Adds `grpc.health.v1.Health` to `server`. */
  addToServer(server: Pick<Server, 'addService'>): void {
    addLazyService(server, HEALTH_METHODS, () => this.load());
  }

  /** Loads grpc-health-check, seeds it with the statuses set so far, and wraps its handlers. */
  private load(): LoadedService {
    const impl = new (loadHealthCheck().HealthImplementation)(Object.fromEntries(this.current));
    this.impl = impl;
    const { definition, implementation } = captureServices((server) => impl.addToServer(server)).get(HEALTH_SERVICE) as LoadedService;
    const check = implementation.check as Handler;
    const watch = implementation.watch as Handler;
    return {
      definition,
      implementation: {
        ...implementation,
        check: (call: { request: { service: string } }, callback: unknown) => {
          if (call.request.service === LIVENESS_SERVICE || this.closed) check(call as never, callback as never);
          else
            this.refresh().then(
              () => check(call as never, callback as never),
              () => check(call as never, callback as never),
            );
        },
        watch: (call: ServerWritableStream<unknown, unknown>) => {
          if (this.closed) {
            call.emit('error', { code: Status.UNAVAILABLE, details: 'Server is shutting down' });
            return;
          }
          this.watches.add(call);
          call.once('cancelled', () => this.watches.delete(call));
          watch(call as never);
        },
      },
    };
  }

  /** Sets `''`, `readiness` and every service to SERVING or NOT_SERVING (Watch streams see changes). */
  setReady(ready: boolean): void {
    const status: ServingStatus = ready ? 'SERVING' : 'NOT_SERVING';
    for (const name of this.names) this.set(name, status);
  }

  /** Sets `liveness`. */
  setLive(live: boolean): void {
    this.set(LIVENESS_SERVICE, live ? 'SERVING' : 'NOT_SERVING');
  }

  /** Ends every Watch stream with UNAVAILABLE and freezes the statuses (call when the server closes). */
  close(): void {
    this.closed = true;
    for (const call of this.watches) call.emit('error', { code: Status.UNAVAILABLE, details: 'Server is shutting down' });
    this.watches.clear();
  }

  /** The status of `name` (undefined when unknown). */
  status(name: string): ServingStatus | undefined {
    return this.current.get(name);
  }

  private set(name: string, status: ServingStatus): void {
    if (this.closed || this.current.get(name) === status) return;
    this.current.set(name, status);
    this.impl?.setStatus(name, status);
  }
}
