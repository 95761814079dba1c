import type { Server, ServiceDefinition } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus, type ServingStatusMap } from 'grpc-health-check';
import { Status } from '../errors/index.js';
import { LIVENESS_SERVICE, READINESS_SERVICE } from './health-services.js';

/** What grpc-health-check's `addToServer` adds: a service definition and its handlers. */
type HealthService = Parameters<Parameters<HealthImplementation['addToServer']>[0]['addService']>;
type StreamCall = {
  emit(event: 'error', error: { code: Status; details: string }): boolean;
  once(event: 'cancelled', fn: () => void): unknown;
};
type StreamHandler = (call: StreamCall) => void;

/**
 * grpc.health.v1 for one app, served by `grpc-health-check`'s `HealthImplementation`: the overall
 * `''` service, each served service by name and `readiness` follow {@link HealthReporter.setReady};
 * `liveness` is SERVING until the server stops. grpc-health-check's Watch streams never end on
 * their own, so its Watch handler is added with each call recorded, and
 * {@link HealthReporter.close} ends the open ones with UNAVAILABLE: they do not hold a graceful
 * shutdown open.
 *
 * @example
 * ```ts
 * const health = new HealthReporter(app.services);
 * health.addToServer(app.server);
 * health.setReady(true);
 * ```
 */
export class HealthReporter {
  private readonly impl: HealthImplementation;
  private readonly watches = new Set<StreamCall>();
  private readonly names: readonly string[];
  private readonly current = new Map<string, ServingStatus>();
  private closed = false;

  /** @param services the served services' full names */
  constructor(services: readonly string[]) {
    this.names = ['', READINESS_SERVICE, ...services];
    for (const name of this.names) this.current.set(name, 'NOT_SERVING');
    this.current.set(LIVENESS_SERVICE, 'SERVING');
    // every name seeded: Check on a name the map lacks answers NOT_FOUND
    this.impl = new HealthImplementation(Object.fromEntries(this.current) as ServingStatusMap);
  }

  /** Adds `grpc.health.v1.Health` to `server`. */
  addToServer(server: Pick<Server, 'addService'>): void {
    this.impl.addToServer({
      addService: (definition, implementation) =>
        server.addService(definition as unknown as ServiceDefinition, this.recordingStreams(definition, implementation)),
    });
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
    for (const call of this.watches) endShuttingDown(call);
    this.watches.clear();
  }

  /** The status of `name` (undefined when unknown). */
  status(name: string): ServingStatus | undefined {
    return this.current.get(name);
  }

  private set(name: string, status: ServingStatus): void {
    if (this.closed || this.current.get(name) === status) return;
    this.current.set(name, status);
    this.impl.setStatus(name, status);
  }

  /** The library's handlers, its server-streaming ones (Watch) first recording their call for {@link HealthReporter.close}. */
  private recordingStreams(...[definition, implementation]: HealthService): HealthService[1] {
    const handlers = { ...implementation };
    for (const [name, method] of Object.entries(definition)) {
      const key = method.originalName ?? name;
      const handler = implementation[key] as StreamHandler | undefined;
      if (!method.responseStream || !handler) continue;
      handlers[key] = (call: StreamCall) => {
        if (this.closed) return endShuttingDown(call);
        this.watches.add(call);
        call.once('cancelled', () => this.watches.delete(call));
        handler(call);
      };
    }
    return handlers;
  }
}

/** Ends a server stream with UNAVAILABLE (grpc-js turns an emitted error into the call's status). */
function endShuttingDown(call: StreamCall): void {
  call.emit('error', { code: Status.UNAVAILABLE, details: 'Server is shutting down' });
}
