import { type Client, credentials, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';

/** A plain grpc-js client (no framework code) for a service in a loaded package definition. */
export function rawClient(packageDefinition: PackageDefinition, service: string, port: number): Client & Record<string, Function> {
  let node: unknown = loadPackageDefinition(packageDefinition);
  for (const part of service.split('.')) node = (node as Record<string, unknown>)[part];
  const Ctor = node as ServiceClientConstructor;
  return new Ctor(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as Client & Record<string, Function>;
}
