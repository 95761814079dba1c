import { describe, expect, it } from 'vitest';
import { resolveRuntimeSettings } from './runtime-options.js';
import { connectionAgeOptions } from './server-options.js';

describe('runtime settings', () => {
  it('uses defaults outside Kubernetes and a drain delay inside it', () => {
    const outside = resolveRuntimeSettings({ env: {} });
    expect(outside).toMatchObject({
      port: 9464,
      drainDelayMs: 0,
      shutdownTimeoutMs: 10_000,
      maxInFlight: 0,
      reflection: true,
      metrics: true,
      health: true,
    });
    expect(resolveRuntimeSettings({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } }).drainDelayMs).toBe(5000);
  });

  it('reads the environment, and explicit options win over it', () => {
    const env = { KRPC_RUNTIME_PORT: '9100', KRPC_DRAIN_DELAY_MS: '250', KRPC_MAX_IN_FLIGHT: '64', KRPC_REFLECTION: 'false' };
    expect(resolveRuntimeSettings({ env })).toMatchObject({ port: 9100, drainDelayMs: 250, maxInFlight: 64, reflection: false });
    expect(resolveRuntimeSettings({ env, port: 0, reflection: true })).toMatchObject({ port: 0, reflection: true });
  });

  it('rejects malformed values with a ConfigurationError naming the variable', () => {
    expect(() => resolveRuntimeSettings({ env: { KRPC_SHUTDOWN_TIMEOUT_MS: '10s' } })).toThrow(
      /environment variable KRPC_SHUTDOWN_TIMEOUT_MS: "10s" is not a whole number/,
    );
    expect(() => resolveRuntimeSettings({ env: { KRPC_METRICS: 'maybe' } })).toThrow(/KRPC_METRICS/);
  });

  it('turns connection ageing and the idle limit on by default and off with 0', () => {
    expect(connectionAgeOptions(resolveRuntimeSettings({ env: {} }))).toEqual({
      'grpc.max_connection_idle_ms': 20_000,
      'grpc.max_connection_age_ms': 300_000,
      'grpc.max_connection_age_grace_ms': 30_000,
    });
    expect(connectionAgeOptions({ maxConnectionAgeMs: 0, maxConnectionAgeGraceMs: 1 })).toEqual({});
    expect(connectionAgeOptions({ maxConnectionAgeMs: 0, maxConnectionAgeGraceMs: 1, maxConnectionIdleMs: 5 })).toEqual({
      'grpc.max_connection_idle_ms': 5,
    });
    expect(resolveRuntimeSettings({ env: { KRPC_MAX_EVENT_LOOP_LAG_MS: '0' } }).maxEventLoopLagMs).toBe(0);
    expect(resolveRuntimeSettings({ env: {} }).maxEventLoopLagMs).toBe(0);
    expect(resolveRuntimeSettings({ env: { KRPC_MAX_EVENT_LOOP_LAG_MS: '100' } }).maxEventLoopLagMs).toBe(100);
  });
});
