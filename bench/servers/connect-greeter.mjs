// helloworld.Greeter on Connect-ES v2 (@connectrpc/connect-node), the way its docs set up a Node
// server: `http2.createServer(connectNodeAdapter({ routes }))`, with protobuf-es v2 descriptors
// that protoc-gen-es generates into bench/.generated/ (bench/generate.mjs). Connect's own gRPC
// implementation over node:http2; grpc-js is not involved. Adapter defaults (gRPC, gRPC-Web and
// Connect protocols; gzip/brotli offered, used only when a client asks). The options tried against
// it, none of which changed the figure (bench/PEERS.md): CONNECT_ROUTER=lean (gRPC only, no
// compression offered, no unknown fields kept, a synchronous SayHello) and CONNECT_H2=grpc-js (the
// http2 server options grpc-js sets). Prints {"port":N} once listening.
// Usage: [CONNECT_ROUTER=lean] [CONNECT_H2=grpc-js] node bench/servers/connect-greeter.mjs [port]
import http2 from 'node:http2';
import { pathToFileURL } from 'node:url';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { ensurePeerCode, GENERATED_MODULES } from '../generate.mjs';

ensurePeerCode();
const { Greeter } = await import(pathToFileURL(GENERATED_MODULES.connect).href);

const lean = process.env.CONNECT_ROUTER === 'lean';

function routes(router) {
  router.service(Greeter, {
    sayHello: lean ? (request) => ({ message: `Hello ${request.name}` }) : async (request) => ({ message: `Hello ${request.name}` }),
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

const adapterOptions = lean
  ? {
      routes,
      connect: false,
      grpcWeb: false,
      acceptCompression: [],
      binaryOptions: { readUnknownFields: false, writeUnknownFields: false },
    }
  : { routes };
// grpc-js lifts Node's per-session memory limit ("Node's behavior degrades badly when this limit is reached")
const serverOptions =
  process.env.CONNECT_H2 === 'grpc-js'
    ? { maxSessionMemory: Number.MAX_SAFE_INTEGER, maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER }
    : {};
const server = http2.createServer(serverOptions, connectNodeAdapter(adapterOptions));
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
