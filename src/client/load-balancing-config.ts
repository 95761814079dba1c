import { experimental } from '@grpc/grpc-js';
import { LEAST_REQUEST_POLICY } from '../balancing/index.js';
import type { ConfigurationError } from '../errors/index.js';
import type { ClientDeclarationOptions, OutlierDetectionOptions, OutlierEjectionOptions } from '../metadata/index.js';
import { clientInvalid } from './check-client-options.js';

/** One entry of a service config's `loadBalancingConfig`: `{ policy: config }`. */
export type LoadBalancingConfig = Record<string, unknown>;

/** The outlier detection every client gets unless it says otherwise. */
export const DEFAULT_OUTLIER_DETECTION: Readonly<OutlierDetectionOptions> = Object.freeze({
  intervalMs: 500,
  baseEjectionTimeMs: 5000,
  maxEjectionTimeMs: 30_000,
  maxEjectionPercent: 33,
  failurePercentage: Object.freeze({ threshold: 50, enforcementPercentage: 100, minimumHosts: 2, requestVolume: 10 }),
  successRate: false,
});

const duration = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) });

function ejection(options: (OutlierEjectionOptions & { stdevFactor?: number }) | false | undefined, fallback: object | false) {
  if (options === false || (options === undefined && fallback === false)) return undefined;
  const merged = { ...(fallback || {}), ...options } as OutlierEjectionOptions & { stdevFactor?: number };
  return {
    ...(merged.threshold !== undefined ? { threshold: merged.threshold } : {}),
    ...(merged.stdevFactor !== undefined ? { stdev_factor: merged.stdevFactor * 1000 } : {}),
    ...(merged.enforcementPercentage !== undefined ? { enforcement_percentage: merged.enforcementPercentage } : {}),
    ...(merged.minimumHosts !== undefined ? { minimum_hosts: merged.minimumHosts } : {}),
    ...(merged.requestVolume !== undefined ? { request_volume: merged.requestVolume } : {}),
  };
}

function outlierDetection(options: OutlierDetectionOptions, child: LoadBalancingConfig): LoadBalancingConfig {
  const o = { ...DEFAULT_OUTLIER_DETECTION, ...options };
  return {
    outlier_detection: {
      interval: duration(o.intervalMs as number),
      base_ejection_time: duration(o.baseEjectionTimeMs as number),
      max_ejection_time: duration(o.maxEjectionTimeMs as number),
      max_ejection_percent: o.maxEjectionPercent,
      failure_percentage_ejection: ejection(options.failurePercentage, DEFAULT_OUTLIER_DETECTION.failurePercentage ?? false),
      success_rate_ejection: ejection(options.successRate, DEFAULT_OUTLIER_DETECTION.successRate ?? false),
      child_policy: [child],
    },
  };
}

function invalid(service: string, key: string, problem: string, fix: string): ConfigurationError {
  return clientInvalid(service, `${key} ${problem}`, fix);
}

/**
 * The `loadBalancingConfig` entry of a client: its policy (default `least_request`) inside outlier
 * detection (unless turned off, or the policy is `pick_first`, which has one replica to judge),
 * checked by grpc-js's own parser so that a bad config fails here instead of falling back to pick_first.
 */
export function loadBalancingConfigFor(service: string, options: ClientDeclarationOptions): LoadBalancingConfig {
  const policy = options.loadBalancing ?? LEAST_REQUEST_POLICY;
  const child: LoadBalancingConfig = typeof policy === 'string' ? { [policy]: {} } : { ...policy };
  const names = Object.keys(child);
  if (names.length !== 1) {
    throw invalid(
      service,
      'loadBalancing',
      `must name one policy, got ${JSON.stringify(policy)}`,
      "write e.g. 'round_robin' or { least_request: { choiceCount: 3 } }",
    );
  }
  const name = names[0] as string;
  if (!experimental.isLoadBalancerNameRegistered(name)) {
    throw invalid(
      service,
      'loadBalancing',
      `names no registered policy "${name}"`,
      'use least_request, round_robin, weighted_round_robin or pick_first, or register the policy before the app starts',
    );
  }
  if (name === 'outlier_detection' && typeof policy === 'string') {
    throw invalid(
      service,
      'loadBalancing',
      '"outlier_detection" needs a child policy',
      'leave loadBalancing as the policy to wrap and set outlierDetection: { ... } instead',
    );
  }
  const wrap = options.outlierDetection !== false && name !== 'pick_first' && name !== 'outlier_detection';
  const config = wrap ? outlierDetection(options.outlierDetection || {}, child) : child;
  // The child alone first: inside outlier_detection grpc-js reports only "no valid recognized policy".
  const childError = parseError(child);
  const error = childError ?? (wrap ? parseError(config) : undefined);
  if (error !== undefined) {
    const key = childError === undefined ? 'outlierDetection' : 'loadBalancing';
    throw invalid(service, key, `is not a valid policy config: ${error}`, `correct ${key} (see docs/clients.md)`);
  }
  return config;
}

function parseError(config: LoadBalancingConfig): string | undefined {
  try {
    experimental.parseLoadBalancingConfig(config as never);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
