import type { Server, ServiceDefinition } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { describe, expect, it } from 'vitest';
import { HEALTH_METHODS, HEALTH_SERVICE, HealthReporter } from './health-reporter.js';
import { addLazyService, captureServices } from './lazy-service.js';
import { REFLECTION_SERVICES } from './reflection.js';

type Added = { definition: ServiceDefinition; implementation: Record<string, (...args: unknown[]) => void> };

/** A stand-in server that keeps what was added. */
function recorder(): { server: Pick<Server, 'addService'>; added: Added[] } {
  const added: Added[] = [];
  return { server: { addService: (definition, implementation) => added.push({ definition, implementation } as Added) }, added };
}

const shapes = (definition: ServiceDefinition) =>
  Object.fromEntries(
    Object.entries(definition).map(([name, m]) => [
      name,
      { path: m.path, requestStream: m.requestStream, responseStream: m.responseStream, originalName: m.originalName },
    ]),
  );

describe('lazily added services', () => {
  it('declare the same methods as grpc-health-check and @grpc/reflection build', () => {
    const health = captureServices((s) => new HealthImplementation().addToServer(s as Server));
    expect(shapes(health.get(HEALTH_SERVICE)?.definition as ServiceDefinition)).toEqual(HEALTH_METHODS);
    const reflection = captureServices((s) => new ReflectionService({}).addToServer(s as Server));
    expect([...reflection.keys()].sort()).toEqual(Object.keys(REFLECTION_SERVICES).sort());
    for (const [name, methods] of Object.entries(REFLECTION_SERVICES)) {
      expect(shapes(reflection.get(name)?.definition as ServiceDefinition)).toEqual(methods);
    }
  });

  it('loads on the first call only, once, and delegates (de)serializers and handlers', () => {
    let loads = 0;
    const real = captureServices((s) => new HealthImplementation({ '': 'SERVING' }).addToServer(s as Server)).get(HEALTH_SERVICE);
    const { server, added } = recorder();
    addLazyService(server, HEALTH_METHODS, () => {
      loads++;
      return real as NonNullable<typeof real>;
    });
    expect(loads).toBe(0);
    expect(added).toHaveLength(1);
    const [{ definition, implementation }] = added as [Added];
    const check = definition.Check as ServiceDefinition[string];
    const bytes = check.requestSerialize({ service: '' });
    expect(loads).toBe(1);
    expect(check.requestDeserialize(bytes)).toEqual({ service: '' });
    let reply: unknown;
    implementation.Check?.({ request: { service: '' } }, (_error: unknown, value: unknown) => {
      reply = value;
    });
    expect(reply).toEqual({ status: 'SERVING' });
    expect(loads).toBe(1);
  });

  it('HealthReporter answers with the statuses set before its library was loaded', async () => {
    const { server, added } = recorder();
    const reporter = new HealthReporter(['test.Svc'], async () => undefined);
    reporter.addToServer(server);
    expect(added).toHaveLength(1);
    reporter.setReady(true);
    const check = (service: string) =>
      new Promise((resolve) =>
        added[0]?.implementation.Check?.({ request: { service } }, (error: unknown, value: unknown) => resolve(error ?? value)),
      );
    expect(await check('test.Svc')).toEqual({ status: 'SERVING' });
    expect(await check('liveness')).toEqual({ status: 'SERVING' });
    reporter.setReady(false);
    expect(await check('')).toEqual({ status: 'NOT_SERVING' });
    expect(await check('unknown')).toMatchObject({ code: 5 });
  });
});
