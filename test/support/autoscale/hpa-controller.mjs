// One HorizontalPodAutoscaler's control loop, as kube-controller-manager runs it every sync
// period: read the scale, the pods and their metric, propose a count (hpa-algorithm.mjs),
// stabilise and rate-limit it with the HPA's `behavior`, rescale. Everything it decides by —
// target, metric name, min/max, behavior — comes from the HPA object it is given, which the
// scale loop takes from `krpc-app manifests`.
import { BehaviorState, DEFAULT_TOLERANCE, parseQuantity, podsMetricReplicas, withBehaviorDefaults } from './hpa-algorithm.mjs';

/**
 * What the controller reads from an `autoscaling/v2` HorizontalPodAutoscaler; it handles the
 * `Pods` metric with an `AverageValue` target (what the generated HPA carries) and refuses the rest.
 * @param {object} hpa
 */
export function readHpa(hpa) {
  if (hpa?.apiVersion !== 'autoscaling/v2' || hpa.kind !== 'HorizontalPodAutoscaler')
    throw new Error('not an autoscaling/v2 HorizontalPodAutoscaler');
  const metrics = hpa.spec.metrics ?? [];
  const unsupported = metrics.filter((m) => m.type !== 'Pods' || m.pods?.target?.type !== 'AverageValue');
  if (metrics.length === 0 || unsupported.length > 0) {
    throw new Error(`the simulated HPA controller handles Pods metrics with AverageValue targets only, not ${JSON.stringify(unsupported)}`);
  }
  return {
    metrics: metrics.map((m) => ({ name: m.pods.metric.name, target: parseQuantity(m.pods.target.averageValue) })),
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    behavior: withBehaviorDefaults(hpa.spec.behavior),
  };
}

/**
 * @typedef {object} HpaControllerOptions
 * @property {object} hpa  the HorizontalPodAutoscaler object
 * @property {(metric: string, pods: string[]) => Promise<Map<string, number>>} metrics  the custom metrics
 *   API: one value per pod that has one (prometheus-adapter answers only for pods with samples)
 * @property {() => import('./hpa-algorithm.mjs').PodInfo[]} pods  the pods the scale target's selector matches
 * @property {() => number} replicas  the scale target's spec.replicas
 * @property {(replicas: number) => void | Promise<void>} scale  sets spec.replicas
 * @property {number} [syncPeriodMs]  default 15 000 (--horizontal-pod-autoscaler-sync-period)
 * @property {number} [tolerance]  default 0.1
 * @property {() => number} [now]
 */

/** One sync's record: what was read, proposed and done. */
export class HpaController {
  /** @param {HpaControllerOptions} options */
  constructor(options) {
    this.options = options;
    this.spec = readHpa(options.hpa);
    this.state = new BehaviorState();
    /** @type {Record<string, unknown>[]} */
    this.history = [];
    this.timer = undefined;
    this.running = undefined;
  }

  /** Syncs now and then every sync period. */
  start() {
    const period = this.options.syncPeriodMs ?? 15_000;
    const tick = () => {
      this.running = this.sync().catch((error) => this.history.push({ t: this.now(), error: String(error.message ?? error) }));
    };
    tick();
    this.timer = setInterval(tick, period);
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }

  now() {
    return (this.options.now ?? Date.now)();
  }

  /** One reconcileAutoscaler pass. */
  async sync() {
    const { minReplicas, maxReplicas, behavior } = this.spec;
    const t = this.now();
    const currentReplicas = this.options.replicas();
    const record = { t, currentReplicas };
    let desired;
    if (currentReplicas === 0 && minReplicas !== 0) {
      this.history.push({ ...record, reason: 'ScalingDisabled' });
      return;
    }
    if (currentReplicas > maxReplicas) desired = maxReplicas;
    else if (currentReplicas < minReplicas) desired = minReplicas;
    else {
      const pods = this.options.pods();
      let proposal = 0;
      for (const metric of this.spec.metrics) {
        const values = await this.options.metrics(
          metric.name,
          pods.map((p) => p.name),
        );
        const result = podsMetricReplicas({
          currentReplicas,
          pods,
          metrics: values,
          target: metric.target,
          tolerance: this.options.tolerance ?? DEFAULT_TOLERANCE,
        });
        if ('error' in result) {
          this.history.push({ ...record, error: result.error });
          return;
        }
        Object.assign(record, { average: result.average, ratio: result.ratio, proposed: result.replicas, samples: values.size });
        proposal = Math.max(proposal, result.replicas);
      }
      const normalized = this.state.normalize({ currentReplicas, desired: proposal, minReplicas, maxReplicas, behavior, now: t });
      desired = normalized.replicas;
      record.reason = normalized.reason;
    }
    record.desiredReplicas = desired;
    this.history.push(record);
    if (desired !== currentReplicas) {
      this.state.recordScale(behavior, currentReplicas, desired, t);
      await this.options.scale(desired);
    }
  }
}
