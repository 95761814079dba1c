import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClientLayer } from '../../src/client/index.js';
import { Injectable, InjectClient, Module } from '../../src/decorators/index.js';
import { ConfigurationError, type RpcError, Status } from '../../src/errors/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { RpcApplication } from '../../src/server/index.js';
import { createTestApp, type TestApp } from '../../src/testing/index.js';
import { CALLS_PROTO, CallsService, DownstreamModule, HELLO_PROTO, PROBE, Probe } from './support/calls-fixture.js';
import { standaloneLayer } from './support/layer.js';

@Injectable()
class UsesCalls {
  constructor(@InjectClient('test.calls.Calls') readonly calls: Client<CallsService>) {}
}

@Injectable()
class UsesCallsByClass {
  constructor(@InjectClient(CallsService) readonly calls: Client<CallsService>) {}
}

async function bootError(module: new () => unknown, env: Record<string, string> = {}): Promise<ConfigurationError> {
  const error = await RpcApplication.create(module, { logger: silentLogger(), clients: createClientLayer({ env }) }).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(ConfigurationError.is(error)).toBe(true);
  return error as ConfigurationError;
}

const moduleWith = (
  clients: NonNullable<Parameters<typeof Module>[0]['clients']>,
  protos = [CALLS_PROTO],
  providers: (new (...a: never[]) => unknown)[] = [UsesCalls],
) => {
  @Module({ protos, providers, clients })
  class M {}
  return M;
};

describe('bad client configuration fails at boot', () => {
  it('a client of a service in no loaded proto', async () => {
    const error = await bootError(moduleWith([{ service: 'test.calls.Callz', target: '127.0.0.1:1' }]));
    expect(error.code).toBe('KRPC_CLIENT_INVALID');
    expect(error.message).toContain('did you mean test.calls.Calls');
  });

  it('injecting a client nobody declares', async () => {
    const error = await bootError(moduleWith([], [CALLS_PROTO, HELLO_PROTO]));
    expect(error.code).toBe('KRPC_CLIENT_INVALID');
    expect(error.message).toContain('UsesCalls');
    expect(error.message).toContain("clients: [{ service: 'test.calls.Calls'");
  });

  it.each([
    ['a host name with a space', 'not a host:50051', 'is not a host name'],
    ['a bad port', '127.0.0.1:99999', 'is not a port'],
    ['a bad ipv4 list', 'ipv4:127.0.0.1:5000,300.1.2:5001', 'is not an IPv4 address'],
    ['an unregistered scheme', 'nosuchscheme:///svc.ns:80', 'no resolver is registered for the scheme "nosuchscheme:"'],
  ])('an unparsable target: %s', async (_name, target, problem) => {
    const error = await bootError(moduleWith([{ service: 'test.calls.Calls', target }]));
    expect(error.code).toBe('KRPC_TARGET_INVALID');
    expect(error.message).toContain(problem);
    expect(error.message).toContain('KRPC_TARGET_TEST_CALLS_CALLS');
  });

  it('a client without a target', async () => {
    const error = await bootError(moduleWith(['test.calls.Calls']));
    expect(error.code).toBe('KRPC_TARGET_INVALID');
    expect(error.message).toContain('has no target');
  });

  it('a bad option', async () => {
    const bad = await bootError(
      moduleWith([{ service: 'test.calls.Calls', target: '127.0.0.1:1', options: { methods: { Ecko: { timeoutMs: 5 } } } }]),
    );
    expect(bad.message).toContain('did you mean Echo');
    const retry = await bootError(
      moduleWith([{ service: 'test.calls.Calls', target: '127.0.0.1:1', options: { retry: { maxAttempts: 9 } } }]),
    );
    expect(retry.message).toContain('maxAttempts');
    const lb = await bootError(moduleWith([{ service: 'test.calls.Calls', target: '127.0.0.1:1', options: { loadBalancing: 'nope' } }]));
    expect(lb.message).toContain('names no registered policy "nope"');
  });

  it('client options from configuration: unknown names, a bare outlier_detection, a service config grpc-js refuses', async () => {
    const declared = moduleWith([{ service: 'test.calls.Calls', target: '127.0.0.1:1' }]);
    const withServices = async (options: Record<string, unknown>) => {
      const error = await RpcApplication.create(declared, {
        logger: silentLogger(),
        clients: createClientLayer({ env: {}, services: { 'test.calls.Calls': options } }),
      }).then(
        async (app) => {
          await app.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(ConfigurationError.is(error)).toBe(true);
      expect((error as ConfigurationError).code).toBe('KRPC_CLIENT_INVALID');
      return (error as Error).message;
    };
    expect(await withServices({ keepAlive: 'fast' })).toContain('did you mean keepalive?');
    expect(await withServices({ methods: { Echo: { retriable: true } } })).toContain('did you mean methods.Echo.retryable?');
    expect(await withServices({ loadBalancing: 'outlier_detection' })).toContain('needs a child policy');
    expect(await withServices({ keepalive: 'always' })).toContain('keepalive must be');
    expect(await withServices({ channelOptions: { 'grpc.service_config': '{nope' } })).toContain('is not a JSON object');
    expect(
      await withServices({
        channelOptions: {
          'grpc.service_config': JSON.stringify({ methodConfig: [{ name: [{ service: 'x' }], retryPolicy: { maxAttempts: 0 } }] }),
        },
      }),
    ).toContain('grpc-js refuses the service config');
  });
});

describe('targets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DownstreamModule, { overrides: [{ provide: PROBE, useValue: new Probe() }] });
  });
  afterAll(() => t.close());

  it('KRPC_TARGET_<SERVICE> overrides the declared target; @InjectClient(Class) uses its service name', async () => {
    const app = await RpcApplication.create(
      moduleWith([{ service: 'test.calls.Calls', target: '127.0.0.1:1' }], [CALLS_PROTO], [UsesCalls, UsesCallsByClass]),
      {
        logger: silentLogger(),
        clients: createClientLayer({ env: { KRPC_TARGET_TEST_CALLS_CALLS: t.target } }),
      },
    );
    try {
      expect(await app.container.get(UsesCalls).calls.echo({ text: 'via env' })).toEqual({ text: 'via env', n: 0 });
      expect(app.container.get(UsesCallsByClass).calls).toBe(app.container.get(UsesCalls).calls);
    } finally {
      await app.close();
    }
  });

  it('dns:/// targets work', async () => {
    const layer = standaloneLayer(t.app.protos, { services: { 'test.calls.Calls': { target: `dns:///localhost:${t.port}` } } });
    try {
      expect((await layer.get<Client<CallsService>>('test.calls.Calls').echo({ text: 'dns' })).text).toBe('dns');
    } finally {
      layer.close();
    }
  });

  it('an unreachable target fails fast with UNAVAILABLE naming the target', async () => {
    const layer = standaloneLayer(t.app.protos, { services: { 'test.calls.Calls': { target: '127.0.0.1:1' } } });
    try {
      const started = performance.now();
      const error = (await layer
        .get<Client<CallsService>>('test.calls.Calls')
        .echo({})
        .catch((e: unknown) => e)) as RpcError;
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.message).toContain('127.0.0.1:1');
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      layer.close();
    }
  });

  it('with waitForReady it waits until the deadline: DEADLINE_EXCEEDED naming the target', async () => {
    const layer = standaloneLayer(t.app.protos, {
      services: { 'test.calls.Calls': { target: '127.0.0.1:1', waitForReady: true, timeoutMs: 300 } },
    });
    try {
      const error = (await layer
        .get<Client<CallsService>>('test.calls.Calls')
        .echo({})
        .catch((e: unknown) => e)) as RpcError;
      expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
      expect(error.message).toContain('127.0.0.1:1');
    } finally {
      layer.close();
    }
  });
});
