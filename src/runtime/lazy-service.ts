import { createRequire } from 'node:module';
import type { Server, ServiceDefinition, UntypedHandleCall, UntypedServiceImplementation } from '@grpc/grpc-js';

/** What grpc-js needs of a method when the service is added: everything but the (de)serializers. */
export interface MethodShape {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly originalName: string;
}

/** A service as its library builds it: the definition (proto parsed) and the handlers. */
export interface LoadedService {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

/** Synchronous `require` for the CommonJS libraries loaded on a service's first call. */
export const requireLazily = createRequire(import.meta.url);

type Serializer = (value: unknown) => Buffer;
type Deserializer = (bytes: Buffer) => unknown;

/**
 * Adds a service to `server` now, under its real paths, but builds it — imports its library,
 * parses its proto — only on its first call (`load` runs once, synchronously, inside the first
 * deserialize or handler call). Start-up does not pay for services most pods rarely call
 * (reflection) or first call only after they are up (health); callers see the same service.
 * `methods` must match what `load` returns (the unit tests compare them with the libraries').
 */
export function addLazyService(
  server: Pick<Server, 'addService'>,
  methods: Readonly<Record<string, MethodShape>>,
  load: () => LoadedService,
): void {
  let loaded: LoadedService | undefined;
  const service = (): LoadedService => {
    loaded ??= load();
    return loaded;
  };
  const definition: Record<string, unknown> = {};
  const implementation: Record<string, UntypedHandleCall> = {};
  for (const [name, shape] of Object.entries(methods)) {
    const real = () => service().definition[name] as unknown as Record<string, Serializer & Deserializer>;
    definition[name] = {
      ...shape,
      requestSerialize: (value: unknown) => (real().requestSerialize as Serializer)(value),
      requestDeserialize: (bytes: Buffer) => (real().requestDeserialize as Deserializer)(bytes),
      responseSerialize: (value: unknown) => (real().responseSerialize as Serializer)(value),
      responseDeserialize: (bytes: Buffer) => (real().responseDeserialize as Deserializer)(bytes),
    };
    implementation[name] = ((call: unknown, callback: unknown) => {
      const { implementation: handlers } = service();
      const handler = (handlers[name] ?? handlers[shape.originalName]) as (call: unknown, callback: unknown) => void;
      handler.call(handlers, call, callback);
    }) as UntypedHandleCall;
  }
  server.addService(definition as ServiceDefinition, implementation);
}

/**
 * Runs `add` (a library's `addToServer`) against a stand-in server and returns each service it
 * adds, keyed by service name (`grpc.health.v1.Health`).
 */
export function captureServices(add: (server: Pick<Server, 'addService'>) => void): Map<string, LoadedService> {
  const services = new Map<string, LoadedService>();
  add({
    addService: (definition, implementation) => {
      const path = (Object.values(definition)[0] as { path: string } | undefined)?.path ?? '';
      services.set(path.slice(1, path.lastIndexOf('/')), { definition, implementation });
    },
  });
  return services;
}
