// What AsyncLocalStorage costs a grpc-js server on this Node version: a bare grpc-js greeter
// and a grpc-js client in one process, unary calls (64 in flight), CPU µs per call (client and
// server together), with and without an AsyncLocalStorage scope around each handler. Each
// variant runs in its own process (once enabled, the hook cannot be unhooked for good), rounds
// alternate, medians are printed. Usage: node bench/micro/als-cost.mjs [rounds] [calls]

import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..', '..');

async function child(variant, calls) {
  const { helloworld } = grpc.loadPackageDefinition(protoLoader.loadSync(join(root, 'samples/greeter/proto/helloworld.proto')));
  const storage = new AsyncLocalStorage();
  const reply = (call, callback) => callback(null, { message: `Hello ${call.request.name}` });
  const server = new grpc.Server();
  server.addService(helloworld.Greeter.service, {
    SayHello: variant === 'als' ? (call, callback) => storage.run(call, reply, call, callback) : reply,
  });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  const client = new helloworld.Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const one = () => new Promise((resolve, reject) => client.SayHello({ name: 'x' }, (e, r) => (e ? reject(e) : resolve(r))));
  const run = async (n) => {
    let left = n;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (left-- > 0) await one();
      }),
    );
  };
  await run(5000);
  const cpu = process.cpuUsage();
  await run(calls);
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${(used.user + used.system) / calls}\n`);
  process.exit(0);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  const rounds = Number(process.argv[2] ?? 6);
  const calls = Number(process.argv[3] ?? 40_000);
  const results = { none: [], als: [] };
  for (let r = 0; r < rounds; r++) {
    for (const variant of r % 2 ? ['als', 'none'] : ['none', 'als']) {
      results[variant].push(Number(execFileSync(process.execPath, [here, '--child', variant, String(calls)]).toString()));
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const none = median(results.none);
  const als = median(results.als);
  const ratios = results.als.map((a, i) => a / results.none[i]);
  console.log(
    `CPU per call (client + server): without ALS ${none.toFixed(1)} µs, with ALS.run per handler ${als.toFixed(1)} µs; median per-round ratio ${median(ratios).toFixed(3)}`,
  );
}
