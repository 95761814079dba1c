import type { DeploySpec } from './deploy-spec.js';

/**
 * HPA `behavior`: scale up at once (no stabilisation; double, or add 4 pods, every 15 s, whichever
 * is more), scale down only after the stabilisation window (default 300 s) and by at most half
 * the pods a minute, so a burst that ends does not shed capacity the next burst needs.
 */
export function scalingBehavior(spec: DeploySpec): Record<string, unknown> {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 4, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: spec.scaleDownStabilizationSeconds,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
    },
  };
}

/** A number as a Kubernetes quantity: `10`, or milli-units for fractions (`2.5` → `2500m`). */
export function quantity(value: number): string {
  return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
}
