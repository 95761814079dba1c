// What the EndpointSlice controller and the kubelet do for the fault cluster's replicas, against
// the fake API server: publish every live replica as an endpoint of one Service, ready or not,
// and (optionally) probe /readyz the way a readinessProbe does, so that a hung pod goes
// not-ready after `failureThreshold` failed probes, as it would in a cluster.
import { request } from 'node:http';

/**
 * Keeps a Service's EndpointSlices (one per port) equal to a list of members.
 */
export class EndpointSlicePublisher {
  /**
   * @param {{ upsertEndpointSlice(spec: object): unknown, deleteEndpointSlice(namespace: string, name: string): void }} api
   * @param {{ service?: string, namespace?: string, portName?: string }} [options]
   */
  constructor(api, { service = 'greeter', namespace = 'default', portName = 'grpc' } = {}) {
    this.api = api;
    this.service = service;
    this.namespace = namespace;
    this.portName = portName;
    this.slices = new Set();
  }

  /** The `kubernetes:///` target of the Service. */
  get target() {
    return `kubernetes:///${this.service}.${this.namespace}:${this.portName}`;
  }

  /**
   * Publishes `members` (each `{ ip, port, ready, pod }`, and `terminating`, `zone`, `forZones`
   * hints when given); members with the same port share a slice.
   * @param {{ ip: string, port: number, ready: boolean, pod?: string, terminating?: boolean, zone?: string, forZones?: string[] }[]} members
   */
  publish(members) {
    const byPort = new Map();
    for (const m of members) byPort.set(m.port, [...(byPort.get(m.port) ?? []), m]);
    const wanted = new Set();
    for (const [port, list] of byPort) {
      const name = `${this.service}-fault-${port}`;
      wanted.add(name);
      this.api.upsertEndpointSlice({
        service: this.service,
        namespace: this.namespace,
        name,
        ports: [{ name: this.portName, port }],
        endpoints: list.map((m) => ({
          ip: m.ip,
          ready: m.ready,
          pod: m.pod,
          ...(m.terminating ? { terminating: true, serving: m.ready } : {}),
          ...(m.zone ? { zone: m.zone } : {}),
          ...(m.forZones ? { forZones: m.forZones } : {}),
        })),
      });
    }
    for (const name of this.slices) if (!wanted.has(name)) this.api.deleteEndpointSlice(this.namespace, name);
    this.slices = wanted;
  }
}

/**
 * One GET of `http://host:port/readyz`: true on 200, false on any other answer, an error or
 * no answer within `timeoutMs` (what a kubelet's httpGet probe counts as a failure).
 * @param {string} host
 * @param {number} port
 * @param {number} timeoutMs
 * @returns {Promise<boolean>}
 */
export function probeReadyz(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/readyz', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * A readinessProbe loop over a set of targets: every `periodMs`, each target not already being
 * probed gets one probe; `failureThreshold` consecutive failures make it not ready,
 * `successThreshold` successes ready again. `onChange(target, ready)` is called on each flip.
 */
export class ReadinessProber {
  /**
   * @param {{ periodMs: number, timeoutMs: number, failureThreshold: number, successThreshold?: number }} probe
   * @param {(target: { host: string, runtimePort: number, ready: boolean }, ready: boolean) => void} onChange
   */
  constructor(probe, onChange) {
    this.probe = { successThreshold: 1, ...probe };
    this.onChange = onChange;
    this.targets = new Map();
    this.timer = setInterval(() => this.tick(), this.probe.periodMs);
    this.timer.unref();
  }

  /** Starts probing `target` (which is ready now). */
  add(target) {
    this.targets.set(target, { failures: 0, successes: 0, busy: false });
  }

  remove(target) {
    this.targets.delete(target);
  }

  tick() {
    for (const [target, state] of this.targets) {
      if (state.busy) continue; // a hung probe is still running: the kubelet waits for its timeout
      state.busy = true;
      probeReadyz(target.host, target.runtimePort, this.probe.timeoutMs).then((ok) => {
        state.busy = false;
        if (!this.targets.has(target)) return;
        if (ok) {
          state.failures = 0;
          state.successes++;
          if (!target.ready && state.successes >= this.probe.successThreshold) this.onChange(target, true);
        } else {
          state.successes = 0;
          state.failures++;
          if (target.ready && state.failures >= this.probe.failureThreshold) this.onChange(target, false);
        }
      });
    }
  }

  close() {
    clearInterval(this.timer);
    this.targets.clear();
  }
}
