// One server of the fault harness — a `krpc-app start <app>` process or a bare grpc-js script —
// on a given address, with the server probe preloaded: ready once it listens (and, for krpc-app,
// once its /readyz answers 200), with controls to inject faults, freeze, thaw and kill it.
import { join } from 'node:path';
import { KRPC_APP, listeningPort, ROOT, spawnNode } from './children.mjs';
import { probeReadyz } from './endpoints.mjs';
import { now, waitFor } from './wait.mjs';

/** Apps and scripts the harness starts, relative to the repository root. */
export const APPS = Object.freeze({
  /** helloworld.Greeter answering with its replica id, faults injectable. */
  faultGreeter: 'test/reliability/fixtures/fault-greeter',
  /** The sample greeter, unchanged. */
  greeter: 'samples/greeter',
  /** The sample relay, unchanged (framework defaults). */
  relay: 'samples/relay',
  /** The sample relay's service with client options from FAULT_BENCH_CLIENT_OPTIONS. */
  relayOptions: 'test/reliability/fixtures/relay-options',
});
export const BARE = Object.freeze({
  relay: 'bench/servers/bare-relay.mjs',
  greeter: 'bench/servers/bare-fault-greeter.mjs',
});

/**
 * @typedef {object} ServerSpec
 * @property {'krpc' | 'bare'} kind  `krpc`: `krpc-app start <app>`; `bare`: `node <script>`
 * @property {string} app  app directory (krpc) or script (bare), relative to the root
 * @property {string} [host]  address the gRPC port binds (default 127.0.0.1)
 * @property {number} [port]  0 picks one
 * @property {string} [name]
 * @property {Record<string, string>} [env]
 * @property {object} [fault]  the initial injected fault (`{ failCode, delayMs }`)
 * @property {boolean} [recordArrivals]  record the x-request-id of every stream accepted
 * @property {number} [startTimeoutMs]
 */

/**
 * Starts a server and resolves once it serves.
 * @param {ServerSpec} spec
 */
export async function startServer(spec) {
  const { kind, app, host = '127.0.0.1', port = 0, env = {}, fault, recordArrivals = false, startTimeoutMs = 30_000 } = spec;
  const name = spec.name ?? `${app}@${host}`;
  const common = {
    KRPC_HOST: host,
    KRPC_PORT: String(port),
    ...(fault ? { FAULT_BENCH_FAULT: JSON.stringify(fault) } : {}),
    ...(recordArrivals ? { FAULT_BENCH_RECORD_ARRIVALS: '1' } : {}),
  };
  const args = kind === 'krpc' ? [KRPC_APP, 'start', join(ROOT, app)] : [join(ROOT, app)];
  // samples/greeter turns its web port on (8080); replicas share a port per address, so none gets one unless asked
  const krpcEnv = kind === 'krpc' ? { KRPC_RUNTIME_PORT: '0', KRPC_RUNTIME_HOST: host, KRPC_WEB_PORT: 'off' } : {};
  const startedAt = now();
  const child = spawnNode(args, { name, env: { ...krpcEnv, ...common, ...env } });
  let address;
  try {
    address = await listeningPort(child, startTimeoutMs);
    if (address.runtimePort !== undefined) {
      await waitFor(() => probeReadyz(host, address.runtimePort, 1000), { what: `${name} /readyz`, timeoutMs: startTimeoutMs });
    }
  } catch (error) {
    await child.stop(1000);
    throw error;
  }
  return new Server({ name, kind, app, host, child, startedAt, readyAt: now(), ...address });
}

/** A running server of the harness. */
export class Server {
  constructor({ name, kind, app, host, port, runtimePort, child, startedAt, readyAt }) {
    this.name = name;
    this.kind = kind;
    this.app = app;
    this.host = host;
    this.port = port;
    this.runtimePort = runtimePort;
    this.child = child;
    this.pid = child.pid;
    this.startedAt = startedAt;
    this.readyAt = readyAt;
    this.frozen = false;
  }

  get address() {
    return `${this.host}:${this.port}`;
  }

  running() {
    return this.child.running();
  }

  /** Replaces the injected fault (`{}` for none). */
  async setFault(fault) {
    await this.child.request({ type: 'fault', fault });
  }

  /** RSS, heap, open fds and counters, from inside the process. */
  async stats() {
    const { id: _, ...stats } = await this.child.request({ type: 'stats' });
    return stats;
  }

  /** The x-request-ids of the streams it accepted (`recordArrivals`), with the time of each. */
  async arrivals() {
    const { ids, times, other } = await this.child.request({ type: 'arrivals' }, 30_000);
    return { ids, times, other };
  }

  /** The Prometheus text of its /metrics (krpc-app only). */
  async metrics() {
    const res = await fetch(`http://${this.host}:${this.runtimePort}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.text();
  }

  freeze() {
    this.child.signal('SIGSTOP');
    this.frozen = true;
  }

  thaw() {
    this.child.signal('SIGCONT');
    this.frozen = false;
  }

  /** SIGKILL; resolves once it is gone. */
  async kill() {
    this.child.signal('SIGKILL');
    await this.child.exited;
  }

  /** SIGTERM (drain), SIGKILL after `timeoutMs`. */
  stop(timeoutMs = 5000) {
    return this.child.stop(timeoutMs);
  }
}
