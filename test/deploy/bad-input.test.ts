import { describe, expect, it } from 'vitest';
import { type AppConfig } from '../../src/config/index.js';
import { ConfigurationError } from '../../src/errors/index.js';
import { resolveDeploySpec } from '../../src/manifests/index.js';
import { configWith } from './support/greeter-config.js';

/** The ConfigurationError `resolveDeploySpec` throws for `overrides` (fails the test if none). */
async function errorFor(overrides: Partial<AppConfig>, options: Parameters<typeof resolveDeploySpec>[1] = {}): Promise<ConfigurationError> {
  const config = await configWith(overrides);
  try {
    resolveDeploySpec(config, options);
  } catch (error) {
    if (ConfigurationError.is(error)) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(overrides)}`);
}

describe('bad deploy sections are refused with the key and the fix', () => {
  it.each([
    ['no deploy section', { deploy: undefined }, /there is no deploy section[\s\S]*fix: add "deploy": \{ "image"/],
    ['a missing image', { deploy: { replicas: { min: 1 } } }, /deploy\.image must be the container image/],
    ['an empty image', { deploy: { image: ' ' } }, /deploy\.image must be a non-empty string/],
    [
      'min > max',
      { deploy: { image: 'x/y:1', replicas: { min: 5, max: 3 } } },
      /deploy\.replicas\.min \(5\) is greater than deploy\.replicas\.max \(3\)[\s\S]*fix: make min ≤ max/,
    ],
    ['zero replicas', { deploy: { image: 'x/y:1', replicas: { min: 0 } } }, /deploy\.replicas\.min must be a whole number ≥ 1, got 0/],
    [
      'an unknown autoscaler',
      { deploy: { image: 'x/y:1', autoscaler: 'vpa' } },
      /deploy\.autoscaler must be one of hpa, keda, none, got "vpa"/,
    ],
    [
      'a grace period shorter than drain delay + shutdown timeout',
      { drainDelayMs: 5000, shutdownTimeoutMs: 10_000, deploy: { image: 'x/y:1', terminationGracePeriodSeconds: 12 } },
      /terminationGracePeriodSeconds \(12\) is shorter than the drain delay \(5000 ms\) \+ shutdown timeout \(10000 ms\)[\s\S]*at least 16/,
    ],
    [
      'a drain delay longer than the grace period',
      { drainDelayMs: 40_000, shutdownTimeoutMs: 0, deploy: { image: 'x/y:1', terminationGracePeriodSeconds: 30 } },
      /terminationGracePeriodSeconds \(30\) is shorter than the drain delay \(40000 ms\)/,
    ],
    [
      'an unknown key, with a suggestion',
      { deploy: { image: 'x/y:1', replica: { min: 1 } } },
      /Unknown key deploy\.replica[\s\S]*did you mean deploy\.replicas\?/,
    ],
    ['an unknown nested key', { deploy: { image: 'x/y:1', autoscaling: { target: 5 } } }, /Unknown key deploy\.autoscaling\.target/],
    [
      'a non-positive in-flight target',
      { deploy: { image: 'x/y:1', autoscaling: { inFlightTarget: 0 } } },
      /inFlightTarget must be a number > 0/,
    ],
    ['an invalid name', { deploy: { image: 'x/y:1', name: 'Greeter_App' } }, /deploy\.name must be a DNS-1035 label/],
    [
      'gRPC probes on a TLS port',
      { tlsCert: 'cert.pem', tlsKey: 'key.pem', deploy: { image: 'x/y:1', probes: 'grpc' } },
      /cannot speak TLS[\s\S]*"http"/,
    ],
    ['gRPC probes without health', { health: false, deploy: { image: 'x/y:1' } }, /gRPC probes need grpc\.health\.v1/],
    ['autoscaling without metrics', { metrics: false, deploy: { image: 'x/y:1' } }, /autoscaler hpa scales on the runtime's metrics/],
    ['a port of 0', { port: 0, deploy: { image: 'x/y:1' } }, /port and runtimePort must be fixed/],
    ['an env variable the manifests own', { deploy: { image: 'x/y:1', env: { KRPC_PORT: '1' } } }, /deploy\.env sets KRPC_PORT/],
    [
      'a PDB with both bounds',
      { deploy: { image: 'x/y:1', podDisruptionBudget: { maxUnavailable: 1, minAvailable: 1 } } },
      /minAvailable must be unset/,
    ],
  ])('%s', async (_name, overrides, message) => {
    const error = await errorFor(overrides as Partial<AppConfig>);
    expect(error.code).toBe('KRPC_CONFIG_INVALID');
    expect(error.message).toMatch(message);
  });

  it('an unknown --autoscaler', async () => {
    expect((await errorFor({ deploy: { image: 'x/y:1' } }, { autoscaler: 'vpa' })).message).toMatch(
      /unknown autoscaler "vpa" \(--autoscaler\)/,
    );
  });

  it('discovery turned off while the app uses kubernetes:/// targets', async () => {
    const error = await errorFor({ deploy: { image: 'x/y:1', discovery: false } }, { kubernetesTargets: ['kubernetes:///inventory:grpc'] });
    expect(error.message).toMatch(/deploy\.discovery is false, but the app uses kubernetes:\/\/\/inventory:grpc/);
  });

  it('defaults to HTTP probes when the gRPC port serves TLS', async () => {
    const spec = resolveDeploySpec(await configWith({ tlsCert: 'cert.pem', tlsKey: 'key.pem', deploy: { image: 'x/y:1' } }));
    expect(spec.probes).toBe('http');
  });
});
