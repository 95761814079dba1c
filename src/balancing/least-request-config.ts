import type { experimental } from '@grpc/grpc-js';

/** The name the load-aware policy is registered under, for `loadBalancingConfig`. */
export const LEAST_REQUEST_POLICY = 'least_request';

/** The number of endpoints sampled per pick when the config names none (gRPC A48's default). */
export const DEFAULT_CHOICE_COUNT = 2;

/** How long an endpoint that comes back is ramped up when the config says nothing, in ms. */
export const DEFAULT_SLOW_START_WINDOW_MS = 10_000;

/** The weight a returning endpoint starts at, in percent of a full one, when the config says nothing. */
export const DEFAULT_SLOW_START_MIN_WEIGHT_PERCENT = 10;

/**
 * Slow start for endpoints that come back: one that was READY, left (ejected by outlier detection,
 * disconnected, failed) and is READY again starts at `minWeightPercent` of a full weight and ramps
 * up to it over `windowMs`, so a replica that just recovered is not handed a full share at once
 * (after Envoy's `slow_start_config`). Endpoints the resolver adds for the first time (a new pod)
 * get their full share at once.
 */
export interface SlowStartJson {
  /** The ramp's length in ms; 0 turns slow start off. Default 10,000. */
  readonly windowMs?: number;
  /** The weight at the start of the ramp, 1–100 (percent). Default 10. */
  readonly minWeightPercent?: number;
}

/** The JSON a service config carries for the policy: `{ least_request: { choiceCount: 2 } }`. */
export interface LeastRequestJson {
  /** Endpoints sampled per pick, 2 to 10 (clamped); the least loaded of them gets the call. */
  readonly choiceCount?: number;
  /** Slow start for endpoints that come back (see {@link SlowStartJson}). */
  readonly slowStart?: SlowStartJson;
}

/** The parsed slow-start settings. */
export interface SlowStart {
  readonly windowMs: number;
  readonly minWeight: number;
}

/** Slow start when the config says nothing. */
const DEFAULT_SLOW_START: SlowStart = Object.freeze({
  windowMs: DEFAULT_SLOW_START_WINDOW_MS,
  minWeight: DEFAULT_SLOW_START_MIN_WEIGHT_PERCENT / 100,
});

/** The parsed `least_request` config, as grpc-js's LB registry needs it. */
export class LeastRequestConfig implements experimental.TypedLoadBalancingConfig {
  constructor(
    readonly choiceCount: number = DEFAULT_CHOICE_COUNT,
    readonly slowStart: SlowStart = DEFAULT_SLOW_START,
  ) {}

  getLoadBalancerName(): string {
    return LEAST_REQUEST_POLICY;
  }

  toJsonObject(): object {
    const slowStart = { windowMs: this.slowStart.windowMs, minWeightPercent: this.slowStart.minWeight * 100 };
    return { [LEAST_REQUEST_POLICY]: { choiceCount: this.choiceCount, slowStart } };
  }

  /** Parses the policy's JSON; rejects a non-numeric `choiceCount` and slow-start values out of range. */
  static createFromJson(json: unknown): LeastRequestConfig {
    const raw = (typeof json === 'object' && json !== null ? json : {}) as { choiceCount?: unknown; slowStart?: unknown };
    let choiceCount = DEFAULT_CHOICE_COUNT;
    if (raw.choiceCount !== undefined) {
      if (typeof raw.choiceCount !== 'number' || !Number.isFinite(raw.choiceCount)) {
        throw new Error(`${LEAST_REQUEST_POLICY} config: choiceCount must be a number, got ${JSON.stringify(raw.choiceCount)}`);
      }
      choiceCount = Math.min(10, Math.max(2, Math.floor(raw.choiceCount)));
    }
    return new LeastRequestConfig(choiceCount, parseSlowStart(raw.slowStart));
  }
}

function parseSlowStart(raw: unknown): SlowStart {
  if (raw === undefined) return DEFAULT_SLOW_START;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`${LEAST_REQUEST_POLICY} config: slowStart must be an object, got ${JSON.stringify(raw)}`);
  }
  const {
    windowMs = DEFAULT_SLOW_START_WINDOW_MS,
    minWeightPercent = DEFAULT_SLOW_START_MIN_WEIGHT_PERCENT,
    ...rest
  } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new Error(`${LEAST_REQUEST_POLICY} config: slowStart has no key "${unknown[0]}" (it takes windowMs, minWeightPercent)`);
  }
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs < 0) {
    throw new Error(`${LEAST_REQUEST_POLICY} config: slowStart.windowMs must be a number of ms >= 0, got ${JSON.stringify(windowMs)}`);
  }
  if (typeof minWeightPercent !== 'number' || !(minWeightPercent >= 1 && minWeightPercent <= 100)) {
    throw new Error(
      `${LEAST_REQUEST_POLICY} config: slowStart.minWeightPercent must be a number from 1 to 100, got ${JSON.stringify(minWeightPercent)}`,
    );
  }
  return { windowMs, minWeight: minWeightPercent / 100 };
}
