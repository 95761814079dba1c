// The streaming baseline: bench.Streamer/Stream on bare @grpc/grpc-js + proto-loader defaults,
// writing `count` messages with back-pressure (wait for 'drain' when write() returns false).
// Prints {"port":N}. Usage: node bench/servers/bare-streamer.mjs [port]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const definition = protoLoader.loadSync(join(root, 'bench/apps/streamer/proto/streamer.proto'));
const { bench } = grpc.loadPackageDefinition(definition);

const server = new grpc.Server();
server.addService(bench.Streamer.service, {
  Stream(call) {
    const { count, name } = call.request;
    let seq = 0;
    let cancelled = false;
    call.on('cancelled', () => {
      cancelled = true;
    });
    const pump = () => {
      while (seq < count && !cancelled) {
        const ok = call.write({ seq, message: `Hello ${name}` });
        seq++;
        if (!ok) {
          call.once('drain', pump);
          return;
        }
      }
      if (!cancelled) call.end();
    };
    pump();
  },
});
server.bindAsync(`127.0.0.1:${process.argv[2] ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
