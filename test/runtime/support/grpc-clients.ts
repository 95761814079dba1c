import { type Client, credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

type Unary = (req: object, cb: (e: ServiceError | null, r: Record<string, unknown>) => void) => unknown;

/** A plain grpc-js client for test.calls.Calls. */
export function callsClient(port: number): Client & Record<string, Unary & ((...args: unknown[]) => unknown)> {
  const def = loadSync('test/fixtures/protos/calls.proto', { keepCase: true, defaults: true });
  const pkg = loadPackageDefinition(def) as unknown as { test: { calls: { Calls: new (t: string, c: unknown) => unknown } } };
  return new pkg.test.calls.Calls(`127.0.0.1:${port}`, credentials.createInsecure()) as Client &
    Record<string, Unary & ((...args: unknown[]) => unknown)>;
}

/** A grpc-js grpc.health.v1.Health client. */
export function healthClient(port: number): Client & Record<string, (...args: unknown[]) => unknown> {
  const def = loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
  const pkg = loadPackageDefinition(def) as unknown as { grpc: { health: { v1: { Health: new (t: string, c: unknown) => unknown } } } };
  return new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, credentials.createInsecure()) as Client &
    Record<string, (...args: unknown[]) => unknown>;
}

/** Promisifies a unary call on a generated client; resolves with the reply or the error's code. */
export function unary(
  client: Record<string, unknown>,
  method: string,
  req: object,
): Promise<{ code: number; reply?: Record<string, unknown> }> {
  return new Promise((resolve) => {
    (client[method] as Unary).call(client, req, (error: ServiceError | null, reply: Record<string, unknown>) =>
      resolve(error ? { code: error.code } : { code: 0, reply }),
    );
  });
}
