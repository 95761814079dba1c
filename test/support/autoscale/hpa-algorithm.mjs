// The autoscaling/v2 HorizontalPodAutoscaler algorithm, as kube-controller-manager runs it
// (pkg/controller/podautoscaler: replica_calculator.go, horizontal.go), for a `Pods` metric with
// an `AverageValue` target — the one the generated HPA names. Pure functions over plain data,
// so that the unit tests can hold them to the documented examples and the scale loop
// (hpa-controller.mjs) can run them against a real Prometheus. Times are in ms.

/** kube-controller-manager's --horizontal-pod-autoscaler-tolerance default. */
export const DEFAULT_TOLERANCE = 0.1;

/** The defaults the API server fills into an HPA's `behavior` (autoscaling/v2 SetDefaults). */
export const DEFAULT_BEHAVIOR = Object.freeze({
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
});

/**
 * An HPA's `behavior` with every field the API server would default filled in.
 * @param {object} [behavior]
 */
export function withBehaviorDefaults(behavior = {}) {
  const rules = (given, defaults) => ({
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: given?.policies?.length ? given.policies : defaults.policies,
  });
  return { scaleUp: rules(behavior.scaleUp, DEFAULT_BEHAVIOR.scaleUp), scaleDown: rules(behavior.scaleDown, DEFAULT_BEHAVIOR.scaleDown) };
}

/**
 * A Kubernetes quantity as a number: `10`, `2500m`, `1.5`, `2k`.
 * @param {string | number} quantity
 */
export function parseQuantity(quantity) {
  if (typeof quantity === 'number') return quantity;
  const match = /^([0-9.]+)(m|k|M|G)?$/.exec(quantity.trim());
  if (!match) throw new Error(`not a quantity: ${quantity}`);
  const scale = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * scale;
}

/**
 * @typedef {object} PodInfo
 * @property {string} name
 * @property {'Pending' | 'Running' | 'Failed'} phase
 * @property {boolean} [deleting]  has a deletionTimestamp (terminating)
 */

/**
 * replica_calculator.go's groupPods for a non-CPU metric: deleted and failed pods are ignored,
 * Pending pods are "unready", pods without a sample are "missing", every other pod counts —
 * readiness itself only matters for CPU.
 * @param {PodInfo[]} pods
 * @param {Map<string, number>} metrics
 */
export function groupPods(pods, metrics) {
  let readyPodCount = 0;
  const unready = new Set();
  const missing = new Set();
  const ignored = new Set();
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') ignored.add(pod.name);
    else if (pod.phase === 'Pending') unready.add(pod.name);
    else if (!metrics.has(pod.name)) missing.add(pod.name);
    else readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

const usageRatio = (metrics, target) => {
  let sum = 0;
  for (const value of metrics.values()) sum += value;
  const average = sum / metrics.size;
  return { ratio: average / target, average };
};

/**
 * calcPlainMetricReplicas: the replica count a `Pods` metric with an `AverageValue` target
 * proposes. `ceil(ratio × ready pods)` outside the tolerance; missing pods count as the target
 * on a scale-down and 0 on a scale-up, Pending pods as 0 on a scale-up, and a proposal the
 * re-computed ratio would reverse keeps the current count.
 * @param {{ currentReplicas: number, pods: PodInfo[], metrics: Map<string, number>, target: number, tolerance?: number }} input
 * @returns {{ replicas: number, average: number, ratio: number, error?: undefined } | { error: string, replicas?: undefined }}
 */
export function podsMetricReplicas({ currentReplicas, pods, metrics: sampled, target, tolerance = DEFAULT_TOLERANCE }) {
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, sampled);
  const metrics = new Map([...sampled].filter(([name]) => pods.some((p) => p.name === name)));
  for (const name of [...ignored, ...unready]) metrics.delete(name);
  if (metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const { ratio, average } = usageRatio(metrics, target);
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: currentReplicas, average, ratio };
    return { replicas: Math.ceil(ratio * readyPodCount), average, ratio };
  }
  for (const name of missing) metrics.set(name, ratio < 1 ? target : 0);
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const { ratio: newRatio } = usageRatio(metrics, target);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return { replicas: currentReplicas, average, ratio };
  }
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) {
    return { replicas: currentReplicas, average, ratio };
  }
  return { replicas, average, ratio };
}

/** Sum of the replica changes of `events` ({ t, change }) within the last `periodSeconds`. */
const changeInPeriod = (events, periodSeconds, now) =>
  events.filter((e) => e.t > now - periodSeconds * 1000).reduce((sum, e) => sum + e.change, 0);

/** calculateScaleUpLimitWithScalingRules: the most replicas the scale-up policies allow now. */
export function scaleUpLimit(currentReplicas, upEvents, downEvents, rules, now) {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const periodStart =
      currentReplicas - changeInPeriod(upEvents, policy.periodSeconds, now) + changeInPeriod(downEvents, policy.periodSeconds, now);
    const proposed = policy.type === 'Pods' ? periodStart + policy.value : Math.ceil(periodStart * (1 + policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the scale-down policies allow now. */
export function scaleDownLimit(currentReplicas, upEvents, downEvents, rules, now) {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const periodStart =
      currentReplicas - changeInPeriod(upEvents, policy.periodSeconds, now) + changeInPeriod(downEvents, policy.periodSeconds, now);
    const proposed = policy.type === 'Pods' ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/**
 * The state one HPA carries between syncs: its unstabilised recommendations and the scale events
 * the rate policies count (horizontal.go's recommendations, scaleUpEvents, scaleDownEvents).
 */
export class BehaviorState {
  constructor() {
    /** @type {{ t: number, replicas: number }[]} */
    this.recommendations = [];
    /** @type {{ t: number, change: number }[]} */
    this.upEvents = [];
    /** @type {{ t: number, change: number }[]} */
    this.downEvents = [];
  }

  /**
   * normalizeDesiredReplicasWithBehaviors: stabilises `desired` over the windows (the highest
   * recommendation of the scale-down window, the lowest of the scale-up window), then limits
   * the step by the policies and clamps to [min, max].
   * @returns {{ replicas: number, stabilized: number, reason: string }}
   */
  normalize({ currentReplicas, desired, minReplicas, maxReplicas, behavior, now }) {
    const { scaleUp, scaleDown } = behavior;
    const upCutoff = now - scaleUp.stabilizationWindowSeconds * 1000;
    const downCutoff = now - scaleDown.stabilizationWindowSeconds * 1000;
    let up = desired;
    let down = desired;
    let oldIndex = -1;
    for (const [i, rec] of this.recommendations.entries()) {
      if (rec.t > upCutoff) up = Math.min(rec.replicas, up);
      if (rec.t > downCutoff) down = Math.max(rec.replicas, down);
      if (rec.t < upCutoff && rec.t < downCutoff) oldIndex = i;
    }
    let stabilized = Math.min(Math.max(currentReplicas, up), down);
    if (oldIndex >= 0) this.recommendations[oldIndex] = { t: now, replicas: desired };
    else this.recommendations.push({ t: now, replicas: desired });

    let reason = 'DesiredWithinRange';
    if (stabilized > currentReplicas) {
      const limit = Math.max(scaleUpLimit(currentReplicas, this.upEvents, this.downEvents, scaleUp, now), currentReplicas);
      const allowed = Math.min(maxReplicas, limit);
      if (stabilized > allowed) {
        reason = allowed === maxReplicas && maxReplicas <= limit ? 'TooManyReplicas' : 'ScaleUpLimit';
        stabilized = allowed;
      }
    } else if (stabilized < currentReplicas) {
      const limit = Math.min(scaleDownLimit(currentReplicas, this.upEvents, this.downEvents, scaleDown, now), currentReplicas);
      const allowed = Math.max(minReplicas, limit);
      if (stabilized < allowed) {
        reason = allowed === minReplicas && minReplicas >= limit ? 'TooFewReplicas' : 'ScaleDownLimit';
        stabilized = allowed;
      }
    }
    return { replicas: stabilized, reason };
  }

  /** storeScaleEvent: records a rescale, forgetting events older than the longest policy period. */
  recordScale(behavior, from, to, now) {
    const longest = (rules) => Math.max(...rules.policies.map((p) => p.periodSeconds)) * 1000;
    this.upEvents = this.upEvents.filter((e) => e.t > now - longest(behavior.scaleUp));
    this.downEvents = this.downEvents.filter((e) => e.t > now - longest(behavior.scaleDown));
    if (to > from) this.upEvents.push({ t: now, change: to - from });
    else if (to < from) this.downEvents.push({ t: now, change: from - to });
  }
}
