import { describe, expect, it } from 'vitest';
import { registerLeastRequestBalancer } from '../balancing/index.js';
import { ConfigurationError } from '../errors/index.js';
import type { ClientDeclarationOptions } from '../metadata/index.js';
import type { LoadedService } from '../proto/index.js';
import { checkServiceConfig } from './check-service-config.js';
import type { ClientSettings } from './client-settings.js';
import { loadBalancingConfigFor } from './load-balancing-config.js';
import { DEFAULT_RETRY_THROTTLING, mergeServiceConfig, serviceConfigFor } from './service-config.js';

registerLeastRequestBalancer();

const method = (rpcName: string, idempotency?: string) => ({
  rpcName,
  path: `/pkg.S/${rpcName}`,
  kind: 'unary' as const,
  definition: { options: idempotency ? { idempotency_level: idempotency } : {} } as never,
});

const service: LoadedService = {
  name: 'pkg.S',
  file: 's.proto',
  definition: {} as never,
  methods: new Map([
    ['Read', method('Read', 'NO_SIDE_EFFECTS')],
    ['Put', method('Put', 'IDEMPOTENT')],
    ['Write', method('Write')],
  ]),
};

const client = (options: ClientDeclarationOptions): ClientSettings => ({
  service,
  target: 'x',
  targetFrom: 'test',
  options,
  interceptors: [],
});
const lb = (options: ClientDeclarationOptions = {}) => loadBalancingConfigFor('pkg.S', options);
const configOf = (options: ClientDeclarationOptions) => serviceConfigFor([client(options)], lb(options), DEFAULT_RETRY_THROTTLING);
const policies = (options: ClientDeclarationOptions) =>
  Object.fromEntries(
    configOf(options).methodConfig.map((m) => [m.name[0]?.method ?? '*', m.retryPolicy ? 'retry' : m.hedgingPolicy ? 'hedge' : 'none']),
  );

describe('the default load-balancing config', () => {
  it('is least_request inside outlier detection, with durations grpc-js accepts', () => {
    const config = lb() as { outlier_detection: Record<string, unknown> };
    expect(Object.keys(config)).toEqual(['outlier_detection']);
    expect(config.outlier_detection.child_policy).toEqual([{ least_request: {} }]);
    expect(config.outlier_detection.interval).toEqual({ seconds: 0, nanos: 500_000_000 });
    expect(config.outlier_detection.failure_percentage_ejection).toMatchObject({ threshold: 50, minimum_hosts: 2 });
  });

  it('wraps a policy config, takes outlier detection options, and leaves pick_first and `false` alone', () => {
    const config = lb({ loadBalancing: { least_request: { choiceCount: 3 } }, outlierDetection: { intervalMs: 250 } }) as {
      outlier_detection: Record<string, unknown>;
    };
    expect(config.outlier_detection.child_policy).toEqual([{ least_request: { choiceCount: 3 } }]);
    expect(config.outlier_detection.interval).toEqual({ seconds: 0, nanos: 250_000_000 });
    expect(lb({ loadBalancing: 'pick_first' })).toEqual({ pick_first: {} });
    expect(lb({ loadBalancing: 'round_robin', outlierDetection: false })).toEqual({ round_robin: {} });
  });

  it('refuses unknown policies, a bare outlier_detection and configs grpc-js rejects, naming the key', () => {
    const error = (options: ClientDeclarationOptions) => {
      try {
        lb(options);
      } catch (e) {
        expect(ConfigurationError.is(e)).toBe(true);
        expect((e as ConfigurationError).code).toBe('KRPC_CLIENT_INVALID');
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(error({ loadBalancing: 'nope' })).toMatch(/loadBalancing names no registered policy "nope"/);
    expect(error({ loadBalancing: 'outlier_detection' })).toMatch(/needs a child policy/);
    expect(error({ loadBalancing: { least_request: { choiceCount: 'three' } } })).toMatch(/loadBalancing is not a valid policy config/);
    expect(error({ outlierDetection: { maxEjectionPercent: 150 } })).toMatch(/outlierDetection is not a valid policy config/);
    // The child policy's own complaint, not grpc-js's "no valid recognized policy found" from outlier_detection.
    expect(error({ loadBalancing: { least_request: { slowStart: { windowMs: -5 } } } })).toMatch(
      /loadBalancing is not a valid policy config: .*slowStart\.windowMs must be a number of ms >= 0, got -5/,
    );
    expect(error({ loadBalancing: { round_robin: {}, pick_first: {} } })).toMatch(/must name one policy/);
  });
});

describe('retries', () => {
  it('retries the rpcs the proto marks idempotent or side-effect free, on UNAVAILABLE, with a budget', () => {
    expect(policies({})).toEqual({ Read: 'retry', Put: 'retry' });
    const config = configOf({});
    expect(config.methodConfig[0]?.retryPolicy?.retryableStatusCodes).toEqual([14]);
    expect(config.retryThrottling).toEqual({ maxTokens: 100, tokenRatio: 0.1 });
  });

  it('follows retryable, retry and hedging settings', () => {
    expect(policies({ retryable: true })).toEqual({ Read: 'retry', Put: 'retry', Write: 'retry' });
    expect(policies({ methods: { Read: { retryable: false }, Write: { retryable: true } } })).toEqual({
      Read: 'none',
      Put: 'retry',
      Write: 'retry',
    });
    expect(policies({ methods: { Write: { hedging: { maxAttempts: 2, delayMs: 50 } } } })).toEqual({
      Read: 'retry',
      Put: 'retry',
      Write: 'hedge',
    });
    expect(policies({ retry: { maxAttempts: 2 }, methods: { Write: { retry: false } } })).toEqual({ Write: 'none', '*': 'retry' });
  });

  it('produces service configs grpc-js accepts', () => {
    expect(() =>
      checkServiceConfig(
        'pkg.S',
        configOf({ methods: { Write: { hedging: { maxAttempts: 3, delayMs: 20, nonFatalCodes: ['UNAVAILABLE'] } } } }),
      ),
    ).not.toThrow();
    expect(() =>
      checkServiceConfig('pkg.S', { methodConfig: [{ name: [{ service: 'pkg.S' }], retryPolicy: { maxAttempts: 1 } }] }),
    ).toThrow(/grpc-js refuses the service config/);
  });
});

describe('a user service config', () => {
  it("is merged: its method configs first, its top-level fields over the framework's", () => {
    const user = {
      methodConfig: [{ name: [{ service: 'pkg.S', method: 'Write' }], timeout: '1s' }],
      retryThrottling: { maxTokens: 10, tokenRatio: 1 },
    };
    const merged = mergeServiceConfig(configOf({}), user) as {
      methodConfig: { name: { method?: string }[] }[];
      retryThrottling: unknown;
      loadBalancingConfig: unknown;
    };
    expect(merged.methodConfig[0]?.name[0]?.method).toBe('Write');
    expect(merged.methodConfig).toHaveLength(3);
    expect(merged.retryThrottling).toEqual({ maxTokens: 10, tokenRatio: 1 });
    expect(merged.loadBalancingConfig).toEqual([lb()]);
  });
});
