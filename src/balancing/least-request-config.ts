import type { experimental } from '@grpc/grpc-js';

/** The name the load-aware policy is registered under, for `loadBalancingConfig`. */
export const LEAST_REQUEST_POLICY = 'least_request';

/** The number of endpoints sampled per pick when the config names none (gRPC A48's default). */
export const DEFAULT_CHOICE_COUNT = 2;

/** The JSON a service config carries for the policy: `{ least_request: { choiceCount: 2 } }`. */
export interface LeastRequestJson {
  /** Endpoints sampled per pick, 2 to 10 (clamped); the least loaded of them gets the call. */
  readonly choiceCount?: number;
}

/** The parsed `least_request` config, as grpc-js's LB registry needs it. */
export class LeastRequestConfig implements experimental.TypedLoadBalancingConfig {
  constructor(readonly choiceCount: number = DEFAULT_CHOICE_COUNT) {}

  getLoadBalancerName(): string {
    return LEAST_REQUEST_POLICY;
  }

  toJsonObject(): object {
    return { [LEAST_REQUEST_POLICY]: { choiceCount: this.choiceCount } };
  }

  /** Parses the policy's JSON; rejects a non-numeric `choiceCount`. */
  static createFromJson(json: unknown): LeastRequestConfig {
    const raw = (typeof json === 'object' && json !== null ? json : {}) as { choiceCount?: unknown };
    if (raw.choiceCount === undefined) return new LeastRequestConfig();
    if (typeof raw.choiceCount !== 'number' || !Number.isFinite(raw.choiceCount)) {
      throw new Error(`${LEAST_REQUEST_POLICY} config: choiceCount must be a number, got ${JSON.stringify(raw.choiceCount)}`);
    }
    return new LeastRequestConfig(Math.min(10, Math.max(2, Math.floor(raw.choiceCount))));
  }
}
