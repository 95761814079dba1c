import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { service as healthService } from 'grpc-health-check';

/** What `ReflectionService` indexes (its own proto-loader's `PackageDefinition`). */
type Reflected = ConstructorParameters<typeof ReflectionService>[0];

/**
 * Adds gRPC server reflection (`@grpc/reflection`, v1 and v1alpha) for `packageDefinition`, and for
 * grpc.health.v1 when `withHealth`.
 *
 * @example
 * ```ts
 * addReflection(app.server, app.protos.packageDefinition, true);
 * ```
 */
export function addReflection(server: Pick<Server, 'addService'>, packageDefinition: PackageDefinition, withHealth: boolean): void {
  // reflection indexes the file descriptors each definition carries; health's request type carries health.proto's
  const healthRequest = withHealth ? healthService.Check?.requestType : undefined;
  const definitions: Reflected = healthRequest
    ? { ...packageDefinition, 'grpc.health.v1.HealthCheckRequest': healthRequest }
    : packageDefinition;
  new ReflectionService(definitions).addToServer(server);
}
