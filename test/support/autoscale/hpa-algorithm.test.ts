// The simulated HPA controller held to the Kubernetes documentation's examples
// (concepts/workloads/autoscaling/horizontal-pod-autoscale: "Algorithm details", "Configurable
// scaling behavior") and to what kube-controller-manager's replica calculator does with missing
// metrics and pods that are not ready yet.
import { describe, expect, it } from 'vitest';
import { generateManifests, resolveDeploySpec } from '../../../src/manifests/index.js';
import { configWith } from '../../deploy/support/greeter-config.js';
import {
  BehaviorState,
  DEFAULT_BEHAVIOR,
  type PodInfo,
  parseQuantity,
  podsMetricReplicas,
  scaleDownLimit,
  scaleUpLimit,
  withBehaviorDefaults,
} from './hpa-algorithm.mjs';
import { HpaController, readHpa } from './hpa-controller.mjs';

const running = (n: number, prefix = 'p'): PodInfo[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, phase: 'Running' }));
const values = (entries: [string, number][]) => new Map(entries);
const same = (pods: PodInfo[], v: number) => new Map(pods.map((p) => [p.name, v]));

describe('the replica calculator (Pods metric, AverageValue target)', () => {
  it('doubles the replicas when the metric is twice the target, halves them at half (the docs example: 200m vs 100m)', () => {
    const two = running(2);
    expect(podsMetricReplicas({ currentReplicas: 2, pods: two, metrics: same(two, 0.2), target: parseQuantity('100m') })).toMatchObject({
      replicas: 4,
      ratio: 2,
    });
    const four = running(4);
    expect(podsMetricReplicas({ currentReplicas: 4, pods: four, metrics: same(four, 0.05), target: 0.1 })).toMatchObject({ replicas: 2 });
  });

  it('skips scaling within the 0.1 tolerance and scales just outside it', () => {
    const pods = running(4);
    expect(podsMetricReplicas({ currentReplicas: 4, pods, metrics: same(pods, 10.9), target: 10 }).replicas).toBe(4);
    expect(podsMetricReplicas({ currentReplicas: 4, pods, metrics: same(pods, 9.1), target: 10 }).replicas).toBe(4);
    expect(podsMetricReplicas({ currentReplicas: 4, pods, metrics: same(pods, 11.5), target: 10 }).replicas).toBe(5); // ceil(4.6)
    expect(podsMetricReplicas({ currentReplicas: 4, pods, metrics: same(pods, 8.5), target: 10 }).replicas).toBe(4); // ceil(3.4)
    expect(podsMetricReplicas({ currentReplicas: 4, pods, metrics: same(pods, 7), target: 10 }).replicas).toBe(3); // ceil(2.8)
  });

  it('averages the pods: ceil(current × average / target)', () => {
    const pods = running(3);
    const metrics = values([
      ['p0', 30],
      ['p1', 10],
      ['p2', 20],
    ]);
    expect(podsMetricReplicas({ currentReplicas: 3, pods, metrics, target: 10 })).toMatchObject({ replicas: 6, average: 20 });
  });

  it('counts pods without a metric as 0 on a scale-up and as the target on a scale-down', () => {
    const pods = running(3);
    // 2 × 20, one missing: ratio 2 → missing = 0 → (20+20+0)/3/10 = 1.33 → ceil(4)
    expect(
      podsMetricReplicas({
        currentReplicas: 3,
        pods,
        metrics: values([
          ['p0', 20],
          ['p1', 20],
        ]),
        target: 10,
      }).replicas,
    ).toBe(4);
    // 2 × 2, one missing: ratio 0.2 → missing = 10 → (2+2+10)/3/10 = 0.47 → ceil(1.4) = 2
    expect(
      podsMetricReplicas({
        currentReplicas: 3,
        pods,
        metrics: values([
          ['p0', 2],
          ['p1', 2],
        ]),
        target: 10,
      }).replicas,
    ).toBe(2);
  });

  it('keeps the count when the pods without a metric would reverse the direction', () => {
    const pods = running(3);
    // one pod at 15 (ratio 1.5), two missing → 0 → ratio 0.5: a scale-up turned scale-down is no scale
    expect(podsMetricReplicas({ currentReplicas: 3, pods, metrics: values([['p0', 15]]), target: 10 }).replicas).toBe(3);
  });

  it('counts Pending pods as 0 on a scale-up, and leaves them out of a scale-down', () => {
    const pods: PodInfo[] = [...running(2), { name: 'new', phase: 'Pending' }];
    // 2 × 30 → ratio 3; with the pending pod at 0: 60/3/10 = 2 → ceil(6)
    expect(
      podsMetricReplicas({
        currentReplicas: 3,
        pods,
        metrics: values([
          ['p0', 30],
          ['p1', 30],
        ]),
        target: 10,
      }).replicas,
    ).toBe(6);
    // 2 × 4 → ratio 0.4 → ceil(0.4 × 2 ready) = 1
    expect(
      podsMetricReplicas({
        currentReplicas: 3,
        pods,
        metrics: values([
          ['p0', 4],
          ['p1', 4],
        ]),
        target: 10,
      }).replicas,
    ).toBe(1);
  });

  it('ignores terminating and failed pods, and reports an error when no pod has a metric', () => {
    const pods: PodInfo[] = [...running(2), { name: 'gone', phase: 'Running', deleting: true }, { name: 'dead', phase: 'Failed' }];
    const metrics = values([
      ['p0', 20],
      ['p1', 20],
      ['gone', 100],
    ]);
    expect(podsMetricReplicas({ currentReplicas: 2, pods, metrics, target: 10 }).replicas).toBe(4);
    expect(podsMetricReplicas({ currentReplicas: 2, pods: running(2), metrics: new Map(), target: 10 })).toHaveProperty('error');
  });
});

describe('scaling behavior: policies, selectPolicy, stabilization windows', () => {
  it('the default scale-up doubles or adds 4 pods per 15 s, whichever is more', () => {
    const rules = DEFAULT_BEHAVIOR.scaleUp;
    expect(scaleUpLimit(1, [], [], rules, 0)).toBe(5);
    expect(scaleUpLimit(10, [], [], rules, 0)).toBe(20);
  });

  it('scales down 80 pods by 8 with Pods 4/60 s and Percent 10/60 s under selectPolicy Max, by 4 under Min (the docs example)', () => {
    const policies = [
      { type: 'Pods', value: 4, periodSeconds: 60 },
      { type: 'Percent', value: 10, periodSeconds: 60 },
    ];
    expect(scaleDownLimit(80, [], [], { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies }, 0)).toBe(72);
    expect(scaleDownLimit(80, [], [], { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies }, 0)).toBe(76);
    expect(scaleDownLimit(80, [], [], { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies }, 0)).toBe(80);
  });

  it('counts the changes already made within a policy period', () => {
    const state = new BehaviorState();
    const behavior = withBehaviorDefaults({ scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } });
    state.recordScale(behavior, 2, 4, 0);
    const at = (now: number) => state.normalize({ currentReplicas: 4, desired: 20, minReplicas: 1, maxReplicas: 50, behavior, now });
    expect(at(10_000).replicas).toBe(4); // period start 2 → at most 4 until the event is 15 s old
    expect(at(16_000).replicas).toBe(8);
  });

  it('holds the highest recommendation of the scale-down window, then steps down by the policy', () => {
    const state = new BehaviorState();
    const behavior = withBehaviorDefaults({
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
    });
    const step = (now: number, current: number, desired: number) =>
      state.normalize({ currentReplicas: current, desired, minReplicas: 1, maxReplicas: 10, behavior, now }).replicas;
    expect(step(0, 8, 8)).toBe(8);
    expect(step(15_000, 8, 2)).toBe(8);
    expect(step(299_000, 8, 2)).toBe(8); // the 8 of t=0 is still in the window
    expect(step(301_000, 8, 2)).toBe(4); // out of it: 2 stabilised, limited to half of 8
  });

  it('scale-up stabilization takes the lowest recommendation of its window', () => {
    const state = new BehaviorState();
    const behavior = withBehaviorDefaults({ scaleUp: { stabilizationWindowSeconds: 60 } });
    const step = (now: number, desired: number) =>
      state.normalize({ currentReplicas: 2, desired, minReplicas: 1, maxReplicas: 10, behavior, now }).replicas;
    expect(step(0, 2)).toBe(2);
    expect(step(30_000, 6)).toBe(2);
    expect(step(61_000, 6)).toBe(6);
  });
});

describe('the controller over a generated HPA', () => {
  it('reads target, bounds and behavior from the HPA `krpc-app manifests` writes', async () => {
    const config = await configWith({
      deploy: {
        image: 'greeter:test',
        replicas: { min: 1, max: 6 },
        autoscaling: { inFlightTarget: 10, scaleDownStabilizationSeconds: 20 },
      },
    });
    const hpa = generateManifests(resolveDeploySpec(config)).find((o) => o.kind === 'HorizontalPodAutoscaler') as object;
    const spec = readHpa(hpa);
    expect(spec).toMatchObject({ metrics: [{ name: 'krpc_server_in_flight_requests', target: 10 }], minReplicas: 1, maxReplicas: 6 });
    expect(spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(20);
  });

  it('syncs: proposes, limits by the policies and rescales', async () => {
    const config = await configWith({
      deploy: { image: 'greeter:test', replicas: { min: 1, max: 6 }, autoscaling: { inFlightTarget: 10 } },
    });
    const hpa = generateManifests(resolveDeploySpec(config)).find((o) => o.kind === 'HorizontalPodAutoscaler') as object;
    let replicas = 1;
    let clock = 0;
    const controller = new HpaController({
      hpa,
      now: () => clock,
      replicas: () => replicas,
      pods: () => running(replicas),
      metrics: async (_metric: string, pods: string[]) => new Map(pods.map((p) => [p, 40 / replicas])),
      scale: (n: number) => {
        replicas = n;
      },
    });
    await controller.sync();
    expect(replicas).toBe(4); // ceil(1 × 40 / 10), within the +4 / ×2 per 15 s
    clock += 15_000;
    await controller.sync();
    expect(replicas).toBe(4); // 10 per pod: on target
    expect(controller.history.map((h) => (h as { desiredReplicas?: number }).desiredReplicas)).toEqual([4, 4]);
  });
});
