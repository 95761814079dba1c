// N greeter replicas, each its own `krpc-app start` process on its own loopback address
// (127.0.0.2, .3, …: one pod IP each) and one shared port, published as the endpoints of a
// Service on the fake API server (when one is given), with the faults of issue 16: freeze
// (SIGSTOP) and thaw, kill (SIGKILL) and replace on a new address, injected errors and delays.
import { EndpointSlicePublisher, ReadinessProber } from './endpoints.mjs';
import { APPS, startServer } from './servers.mjs';
import { now } from './wait.mjs';

/** Readiness probing as `krpc-app manifests` writes it (period 5 s, timeout 2 s, failureThreshold 1). */
export const MANIFEST_READINESS_PROBE = Object.freeze({ periodMs: 5000, timeoutMs: 2000, failureThreshold: 1 });

const hostOf = (n) => `127.0.0.${n + 2}`;

/**
 * @typedef {object} ClusterOptions
 * @property {number} [replicas]  how many (default 3)
 * @property {import('./servers.mjs').ServerSpec['kind']} [kind]  default `krpc`
 * @property {string} [app]  default the fault greeter
 * @property {object} [fault]  every replica's initial fault, e.g. `{ delayMs: 20 }`
 * @property {Record<string, string>} [env]
 * @property {boolean} [recordArrivals]  default true
 * @property {{ upsertEndpointSlice: Function, deleteEndpointSlice: Function }} [kubeApi]  publish EndpointSlices there
 * @property {string} [service]  the Service's name (default `greeter`)
 * @property {false | { periodMs: number, timeoutMs: number, failureThreshold: number }} [readinessProbe]
 *   probe /readyz like a kubelet and publish the result (default {@link MANIFEST_READINESS_PROBE}
 *   with a kubeApi; `false`: a replica is ready from start to exit)
 * @property {number} [exitNoticeMs]  how long after a replica dies its endpoint is removed (default 1000:
 *   the kubelet noticing and the endpoints controller writing the slice)
 */

/**
 * Starts the replicas; resolves once every one is ready (and published).
 * @param {ClusterOptions} [options]
 */
export async function startFaultCluster(options = {}) {
  const cluster = new FaultCluster(options);
  try {
    await cluster.start(options.replicas ?? 3);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

export class FaultCluster {
  /** @param {ClusterOptions} options */
  constructor(options) {
    this.options = { kind: 'krpc', app: APPS.faultGreeter, recordArrivals: true, exitNoticeMs: 1000, ...options };
    /** Every replica ever started, in order; `members` are those still published. */
    this.replicas = [];
    this.members = new Set();
    /** What happened when: `{ t, event, replica }`. */
    this.events = [];
    this.port = 0;
    this.nextHost = 0;
    this.nextId = 0;
    this.publisher = options.kubeApi ? new EndpointSlicePublisher(options.kubeApi, { service: options.service ?? 'greeter' }) : undefined;
    const probe = options.readinessProbe ?? (options.kubeApi ? MANIFEST_READINESS_PROBE : false);
    this.prober = probe && this.publisher ? new ReadinessProber(probe, (replica, ready) => this.setReady(replica, ready)) : undefined;
    this.timers = new Set();
  }

  /** `ipv4:` list of the replicas started so far (a static target cannot follow a replacement). */
  get staticTarget() {
    return `ipv4:${this.replicas
      .filter((r) => r.running())
      .map((r) => r.address)
      .join(',')}`;
  }

  /** The Service's `kubernetes:///` target (needs a kubeApi). */
  get kubernetesTarget() {
    if (!this.publisher) throw new Error('the fault cluster publishes no EndpointSlices: give it a kubeApi');
    return this.publisher.target;
  }

  log(event, replica) {
    this.events.push({ t: now(), event, replica: replica?.id });
  }

  async start(count) {
    for (let attempt = 0; ; attempt++) {
      try {
        for (let i = 0; i < count; i++) await this.addReplica();
        return;
      } catch (error) {
        // the shared port was taken on one of the addresses: start over on another
        if (attempt >= 4 || !/EADDRINUSE|address already in use/i.test(String(error.message))) throw error;
        for (const r of this.replicas) await r.stop(1000);
        this.replicas = [];
        this.members.clear();
        this.port = 0;
        this.nextId = 0;
      }
    }
  }

  /**
   * Starts one more replica on the next free address and the cluster's port; publishes it once ready.
   * `zone` (and `forZones` hints) are published with its endpoint.
   * @param {{ fault?: object, env?: Record<string, string>, zone?: string, forZones?: string[] }} [overrides]
   */
  async addReplica(overrides = {}) {
    const id = `r${++this.nextId}`; // taken before the await: replicas may start concurrently
    let lastError;
    for (let tries = 0; tries < 3; tries++) {
      const host = hostOf(this.nextHost++);
      try {
        const replica = await startServer({
          kind: this.options.kind,
          app: this.options.app,
          host,
          port: this.port,
          name: `replica ${id} (${host})`,
          env: { FAULT_BENCH_REPLICA: id, ...this.options.env, ...overrides.env },
          fault: overrides.fault ?? this.options.fault,
          recordArrivals: this.options.recordArrivals,
        });
        replica.id = id;
        replica.ready = true;
        replica.terminating = false;
        replica.zone = overrides.zone;
        replica.forZones = overrides.forZones;
        this.port = replica.port;
        this.replicas.push(replica);
        this.members.add(replica);
        replica.child.exited.then(() => this.onExit(replica));
        this.log('ready', replica);
        this.prober?.add(replica);
        this.publish();
        return replica;
      } catch (error) {
        lastError = error;
        if (this.port === 0 || !/EADDRINUSE|address already in use/i.test(String(error.message))) throw error;
      }
    }
    throw lastError;
  }

  /** The replica with id `id` (`r1`…), or index `i` of those started. */
  replica(idOrIndex) {
    const r = typeof idOrIndex === 'number' ? this.replicas[idOrIndex] : this.replicas.find((x) => x.id === idOrIndex);
    if (!r) throw new Error(`no replica ${idOrIndex}`);
    return r;
  }

  setReady(replica, ready) {
    if (replica.ready === ready || !this.members.has(replica)) return;
    replica.ready = ready;
    this.log(ready ? 'probe-ready' : 'probe-not-ready', replica);
    this.publish();
  }

  onExit(replica) {
    this.log('exited', replica);
    this.prober?.remove(replica);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.members.delete(replica)) return;
      this.log('endpoint-removed', replica);
      this.publish();
    }, this.options.exitNoticeMs);
    this.timers.add(timer);
  }

  publish() {
    this.publisher?.publish(
      [...this.members].map((r) => ({
        ip: r.host,
        port: r.port,
        ready: r.ready && !r.terminating,
        terminating: r.terminating,
        pod: `greeter-${r.id}`,
        zone: r.zone,
        forZones: r.forZones,
      })),
    );
  }

  /** Publishes a replica's readiness as given (a probe result the test decides). */
  setReadiness(replica, ready) {
    this.setReady(replica, ready);
  }

  /** Replaces a replica's topology hints (`undefined` for none) and publishes. */
  setHints(replica, forZones) {
    replica.forZones = forZones;
    this.publish();
  }

  /**
   * Deletes a pod the way Kubernetes does: its endpoint turns terminating (not ready) and the
   * process gets SIGTERM at the same moment; it drains on its own, exits, and its endpoint goes
   * `exitNoticeMs` later. Resolves once it has exited (SIGKILL after `graceMs`).
   * @param {import('./servers.mjs').Server} replica
   * @param {number} [graceMs]  terminationGracePeriodSeconds (default 30 s)
   */
  async terminate(replica, graceMs = 30_000) {
    replica.terminating = true;
    this.log('terminate', replica);
    this.prober?.remove(replica);
    this.publish();
    await replica.stop(graceMs);
  }

  freeze(replica) {
    replica.freeze();
    this.log('frozen', replica);
  }

  thaw(replica) {
    replica.thaw();
    this.log('thawed', replica);
  }

  async setFault(replica, fault) {
    await replica.setFault(fault);
    this.log(`fault ${JSON.stringify(fault)}`, replica);
  }

  /** SIGKILL (its endpoint goes `exitNoticeMs` later); resolves once it is gone. */
  async kill(replica) {
    this.log('kill', replica);
    await replica.kill();
  }

  /** Starts a replacement for `replica` on a new address (a new pod), same port, same fault. */
  async replace(replica, overrides = {}) {
    const fresh = await this.addReplica(overrides);
    this.log(`replaces ${replica.id}`, fresh);
    return fresh;
  }

  /** Per replica id: the x-request-ids it accepted and when (replicas that are still running). */
  async arrivals() {
    const out = {};
    for (const r of this.replicas) if (r.running() && !r.frozen) out[r.id] = await r.arrivals();
    return out;
  }

  async close() {
    this.prober?.close();
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.replicas.map((r) => r.stop(2000)));
  }
}
