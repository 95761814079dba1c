// The Deployment/ReplicaSet controller and the kubelet for the scale loop: `scale(n)` sets
// spec.replicas; missing pods are started (Pending until their process serves, then Running and,
// once /readyz answers, published ready by the fault cluster); surplus pods are deleted the way
// the ReplicaSet controller ranks them (Pending first, then the youngest), each terminated like
// a pod (endpoint terminating + SIGTERM at once, drain, exit). Prometheus follows the pods.
import { now } from '../fault-cluster/wait.mjs';

export class SimulatedDeployment {
  /**
   * @param {import('../fault-cluster/cluster.mjs').FaultCluster} cluster  started with the first replicas
   * @param {{ name: string, namespace: string, graceMs: number, prometheus?: import('./prometheus.mjs').PrometheusServer,
   *   replicaOverrides?: () => object }} options
   */
  constructor(cluster, options) {
    this.cluster = cluster;
    this.options = options;
    /** @type {Map<string, { name: string, phase: 'Pending' | 'Running', deleting: boolean, replica?: object, createdAt: number }>} */
    this.pods = new Map();
    this.specReplicas = 0;
    this.seq = 0;
    /** `{ t, event, pod, replicas }` */
    this.events = [];
    this.pending = new Set();
    for (const replica of cluster.replicas) this.adopt(replica);
    this.specReplicas = this.pods.size;
    this.syncTargets();
  }

  podName(id) {
    return `${this.options.name}-5f7c9d-${id}`;
  }

  adopt(replica) {
    const name = this.podName(replica.id);
    this.pods.set(name, { name, phase: 'Running', deleting: false, replica, createdAt: now() });
    return name;
  }

  /** The pods the HPA sees (the selector's pods): name, phase, terminating. */
  podInfos() {
    return [...this.pods.values()].map((p) => ({ name: p.name, phase: p.phase, deleting: p.deleting }));
  }

  /** Running pods that are not terminating and are published ready. */
  readyCount() {
    return [...this.pods.values()].filter((p) => p.phase === 'Running' && !p.deleting && p.replica?.ready).length;
  }

  scale(replicas) {
    this.events.push({ t: now(), event: 'scale', from: this.specReplicas, replicas });
    this.specReplicas = replicas;
    this.reconcile();
  }

  reconcile() {
    const live = [...this.pods.values()].filter((p) => !p.deleting);
    for (let i = live.length; i < this.specReplicas; i++) this.track(this.startPod());
    if (live.length > this.specReplicas) {
      const rank = (p) => (p.phase === 'Pending' ? 0 : 1);
      const victims = live.sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt).slice(0, live.length - this.specReplicas);
      for (const pod of victims) this.track(this.deletePod(pod));
    }
  }

  track(promise) {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
  }

  async startPod() {
    const placeholder = `${this.options.name}-5f7c9d-pending${++this.seq}`;
    const pod = { name: placeholder, phase: 'Pending', deleting: false, createdAt: now() };
    this.pods.set(placeholder, pod);
    this.events.push({ t: now(), event: 'pod-created', pod: placeholder });
    let replica;
    try {
      replica = await this.cluster.addReplica(this.options.replicaOverrides?.() ?? {});
    } catch (error) {
      this.pods.delete(placeholder);
      this.events.push({ t: now(), event: 'pod-failed', pod: placeholder, error: String(error.message ?? error) });
      this.reconcile();
      return;
    }
    this.pods.delete(placeholder);
    const name = this.adopt(replica);
    const running = this.pods.get(name);
    running.createdAt = pod.createdAt;
    this.events.push({ t: now(), event: 'pod-ready', pod: name, replica: replica.id });
    this.syncTargets();
    if (pod.deleting) await this.deletePod(running);
  }

  async deletePod(pod) {
    pod.deleting = true;
    if (!pod.replica) return; // still Pending: startPod deletes it once it is up
    this.events.push({ t: now(), event: 'pod-terminating', pod: pod.name, replica: pod.replica.id });
    await this.cluster.terminate(pod.replica, this.options.graceMs);
    this.events.push({ t: now(), event: 'pod-exited', pod: pod.name, replica: pod.replica.id });
    this.pods.delete(pod.name);
    this.syncTargets();
  }

  /** Prometheus scrapes every pod that has a process (terminating ones too, until they exit). */
  syncTargets() {
    this.options.prometheus?.setTargets(
      [...this.pods.values()]
        .filter((p) => p.replica)
        .map((p) => ({
          address: `${p.replica.host}:${p.replica.runtimePort}`,
          labels: { namespace: this.options.namespace, pod: p.name },
        })),
    );
  }

  /** Waits for pods being started or deleted. */
  async settle() {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
