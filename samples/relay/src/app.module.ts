import { Module } from 'kubernetes-rpc';
import { RelayService } from './relay.service.js';

/**
 * The relay app: serves helloworld.Greeter by calling a downstream helloworld.Greeter.
 * The downstream target defaults to 127.0.0.1:50051; set KRPC_TARGET_HELLOWORLD_GREETER to
 * point it elsewhere (e.g. `dns:///greeter.default.svc.cluster.local:50051`).
 */
@Module({
  protos: ['proto/helloworld.proto'],
  services: [RelayService],
  clients: [{ service: 'helloworld.Greeter', target: '127.0.0.1:50051', options: { timeoutMs: 5000 } }],
})
export class AppModule {}
