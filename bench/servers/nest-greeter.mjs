// helloworld.Greeter on NestJS 12 (@nestjs/microservices, Transport.GRPC), written in plain JS
// with the decorators applied through Reflect.decorate, as TypeScript would emit them. Nest's
// default proto-loader options. Prints {"port":N} once listening.
// Usage: node bench/servers/nest-greeter.mjs <port>
import 'reflect-metadata';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod, Transport } from '@nestjs/microservices';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = Number(process.argv[2]);
if (!port) throw new Error('usage: nest-greeter.mjs <port> (Nest does not report a port picked by 0)');

class GreeterController {
  sayHello(request) {
    return { message: `Hello ${request.name}` };
  }
}
const sayHello = Object.getOwnPropertyDescriptor(GreeterController.prototype, 'sayHello');
Reflect.decorate([GrpcMethod('Greeter', 'SayHello')], GreeterController.prototype, 'sayHello', sayHello);
Reflect.decorate([Controller()], GreeterController);

class AppModule {}
Reflect.decorate([Module({ controllers: [GreeterController] })], AppModule);

const app = await NestFactory.createMicroservice(AppModule, {
  transport: Transport.GRPC,
  logger: ['error'],
  options: {
    package: 'helloworld',
    protoPath: join(root, 'samples/greeter/proto/helloworld.proto'),
    url: `127.0.0.1:${port}`,
  },
});
await app.listen();
process.stdout.write(`${JSON.stringify({ port })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
