// helloworld.Greeter on nice-grpc (over @grpc/grpc-js) with ts-proto definitions, the set-up
// nice-grpc's README recommends (outputServices=nice-grpc,outputServices=generic-definitions,
// useExactTypes=false): messages encoded by ts-proto's generated code, not proto-loader. The code
// is generated into bench/.generated/ (bench/generate.mjs). With NICE_DEFINITIONS=proto-loader it
// takes grpc-js definitions from @grpc/proto-loader instead (the codec of bare grpc-js), to tell
// nice-grpc's own cost from ts-proto's. Prints {"port":N} once bound.
// Usage: [NICE_DEFINITIONS=proto-loader] node bench/servers/nice-greeter.mjs [port]
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { createServer } from 'nice-grpc';
import { ensurePeerCode, GENERATED_MODULES } from '../generate.mjs';

async function greeterDefinition() {
  if (process.env.NICE_DEFINITIONS === 'proto-loader') {
    const proto = join(dirname(fileURLToPath(import.meta.url)), '../../samples/greeter/proto/helloworld.proto');
    return grpc.loadPackageDefinition(protoLoader.loadSync(proto)).helloworld.Greeter.service;
  }
  ensurePeerCode();
  return (await import(pathToFileURL(GENERATED_MODULES.nice).href)).GreeterDefinition;
}
const GreeterDefinition = await greeterDefinition();

/** @type {import('../.generated/nice/helloworld.ts').GreeterServiceImplementation} */
const greeter = {
  async sayHello(request) {
    return { message: `Hello ${request.name}` };
  },
  async sayHelloAgain(request) {
    return { message: `Hello ${request.name}, again` };
  },
  async *sayHelloStreamReply(request) {
    for (let i = 1; i <= 3; i++) yield { message: `Hello ${request.name} #${i}` };
  },
  async *sayHelloBidiStream(requests) {
    for await (const request of requests) yield { message: `Hello ${request.name}` };
  },
};

const server = createServer();
// grpc-js definitions name methods as the proto does (SayHello), ts-proto's in camelCase
const byDefinitionKey = Object.fromEntries(
  Object.keys(GreeterDefinition.methods ?? GreeterDefinition).map((key) => [key, greeter[key[0].toLowerCase() + key.slice(1)]]),
);
server.add(GreeterDefinition, byDefinitionKey);
const port = await server.listen(`127.0.0.1:${process.argv[2] ?? 0}`);
process.stdout.write(`${JSON.stringify({ port })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
