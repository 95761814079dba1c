// The bare grpc-js counterpart of test/reliability/fixtures/fault-greeter, for the fault bench's
// single-server cases (overload, slowloris, rapid reset): helloworld.Greeter on bare
// @grpc/grpc-js + @grpc/proto-loader, SayHello answering `Hello <name> from <replica>` with the
// fault the server probe holds (FAULT_BENCH_FAULT: `failCode`, `delayMs`), counting answers by
// outcome in the probe's counters (grpc-js has no metrics). Binds KRPC_HOST:KRPC_PORT
// (default 127.0.0.1:0); prints {"port":N} once bound.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const definition = protoLoader.loadSync(join(root, 'samples/greeter/proto/helloworld.proto'));
const { helloworld } = grpc.loadPackageDefinition(definition);
const replica = process.env.FAULT_BENCH_REPLICA ?? `pid-${process.pid}`;
const state = globalThis.__faultBench ?? { fault: JSON.parse(process.env.FAULT_BENCH_FAULT ?? '{}'), counters: {} };
const counters = state.counters;
counters.ok = 0;
counters.failed = 0;

const server = new grpc.Server();
server.addService(helloworld.Greeter.service, {
  SayHello(call, callback) {
    const { failCode, delayMs } = state.fault;
    if (failCode !== undefined) {
      counters.failed++;
      callback({ code: typeof failCode === 'number' ? failCode : grpc.status[failCode], details: `injected by ${replica}` });
      return;
    }
    const answer = () => {
      counters.ok++;
      callback(null, { message: `Hello ${call.request.name} from ${replica}` });
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  },
});
const host = process.env.KRPC_HOST ?? '127.0.0.1';
server.bindAsync(`${host}:${process.env.KRPC_PORT ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
