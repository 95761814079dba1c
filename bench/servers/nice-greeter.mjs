// helloworld.Greeter on nice-grpc (over @grpc/grpc-js) with ts-proto definitions, the set-up
// nice-grpc's README recommends (outputServices=nice-grpc,outputServices=generic-definitions,
// useExactTypes=false): messages encoded by ts-proto's generated code, not proto-loader. The code
// is generated into bench/.generated/ (bench/generate.mjs). Prints {"port":N} once bound.
// Usage: node bench/servers/nice-greeter.mjs [port]
import { pathToFileURL } from 'node:url';
import { createServer } from 'nice-grpc';
import { ensurePeerCode, GENERATED_MODULES } from '../generate.mjs';

ensurePeerCode();
const { GreeterDefinition } = await import(pathToFileURL(GENERATED_MODULES.nice).href);

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
server.add(GreeterDefinition, greeter);
const port = await server.listen(`127.0.0.1:${process.argv[2] ?? 0}`);
process.stdout.write(`${JSON.stringify({ port })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
