// helloworld.Greeter on Connect-ES v2 (@connectrpc/connect-node), the way its docs set up a Node
// server: `http2.createServer(connectNodeAdapter({ routes }))`, with protobuf-es v2 descriptors
// that protoc-gen-es generates into bench/.generated/ (bench/generate.mjs). Connect's own gRPC
// implementation over node:http2; grpc-js is not involved. Adapter defaults (gRPC, gRPC-Web and
// Connect protocols; gzip/brotli offered, used only when a client asks): bench/PEERS.md has the
// options tried and why none of them is the set-up at fault. Prints {"port":N} once listening.
// Usage: node bench/servers/connect-greeter.mjs [port]
import http2 from 'node:http2';
import { pathToFileURL } from 'node:url';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { ensurePeerCode, GENERATED_MODULES } from '../generate.mjs';

ensurePeerCode();
const { Greeter } = await import(pathToFileURL(GENERATED_MODULES.connect).href);

function routes(router) {
  router.service(Greeter, {
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
  });
}

const server = http2.createServer(connectNodeAdapter({ routes }));
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
