import { Module } from 'kubernetes-rpc';
import { TestServiceImpl } from './test.service.js';

/**
 * The gRPC interop server: `grpc.testing.TestService` from the public interop protos.
 * `grpc.testing.UnimplementedService` is deliberately not served (the unimplemented_service case).
 */
@Module({
  protos: ['proto/grpc/testing/test.proto'],
  services: [TestServiceImpl],
})
export class AppModule {}
