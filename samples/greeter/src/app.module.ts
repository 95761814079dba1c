import { Module } from 'kubernetes-rpc';
import { GreeterService } from './greeter.service.js';
import { GreetingRepository } from './greeting.repository.js';

/** The greeter app: one service, one injected provider. Proto paths are relative to the app directory. */
@Module({
  protos: ['proto/helloworld.proto'],
  services: [GreeterService],
  providers: [GreetingRepository],
})
export class AppModule {}
