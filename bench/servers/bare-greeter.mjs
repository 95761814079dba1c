// The baseline: helloworld.Greeter on bare @grpc/grpc-js + @grpc/proto-loader (loader defaults),
// the way the grpc-js examples write it. Prints {"port":N} once bound.
// Usage: node bench/servers/bare-greeter.mjs [port]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const definition = protoLoader.loadSync(join(root, 'samples/greeter/proto/helloworld.proto'));
const { helloworld } = grpc.loadPackageDefinition(definition);

const server = new grpc.Server();
server.addService(helloworld.Greeter.service, {
  SayHello(call, callback) {
    callback(null, { message: `Hello ${call.request.name}` });
  },
  SayHelloAgain(call, callback) {
    callback(null, { message: `Hello ${call.request.name}, again` });
  },
  SayHelloStreamReply(call) {
    for (let i = 1; i <= 3; i++) call.write({ message: `Hello ${call.request.name} #${i}` });
    call.end();
  },
  SayHelloBidiStream(call) {
    call.on('data', (req) => call.write({ message: `Hello ${req.name}` }));
    call.on('end', () => call.end());
  },
});
server.bindAsync(`127.0.0.1:${process.argv[2] ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
