// A closed-loop unary load generator for helloworld.Greeter/SayHello: `concurrency` calls kept
// in flight for `durationMs` after `warmupMs`, through either a bare grpc-js client or the
// framework's client proxy (createClientLayer, as @InjectClient receives it). Every reply is
// checked (message contains the name); non-OK statuses are counted. With `threads` > 1 it runs
// that many worker threads, each with its own channel (the fallback when h2load is missing).
// Prints one JSON line: { calls, callsPerSec, nonOk, badReplies, p50Ms, p99Ms, cpuUsPerCall, codes }.
// Usage: node bench/clients/unary-client.mjs '{"mode":"bare"|"proxy","target":"127.0.0.1:PORT",...}'
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROTO = join(root, 'samples/greeter/proto/helloworld.proto');

async function makeCaller(mode, target) {
  if (mode === 'proxy') {
    const { createClientLayer } = await import('../../dist/src/client/index.js');
    const { loadProtos } = await import('../../dist/src/proto/index.js');
    const protos = loadProtos([PROTO], { root });
    const extra = process.env.BENCH_CLIENT_OPTIONS ? JSON.parse(process.env.BENCH_CLIENT_OPTIONS) : {};
    const layer = createClientLayer({ services: { 'helloworld.Greeter': { target, ...extra } }, env: {} });
    layer.setup(protos, []);
    const greeter = layer.get('helloworld.Greeter');
    return { call: (req) => greeter.sayHello(req), close: () => layer.close() };
  }
  const { helloworld } = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO));
  const client = new helloworld.Greeter(target, grpc.credentials.createInsecure());
  return {
    call: (req) => new Promise((resolve, reject) => client.SayHello(req, (error, reply) => (error ? reject(error) : resolve(reply)))),
    close: () => client.close(),
  };
}

async function runLoad({ mode, target, concurrency = 64, durationMs = 3000, warmupMs = 500, calls: fixedCalls, name: NAME = 'bench' }) {
  const caller = await makeCaller(mode, target);
  await caller.call({ name: NAME });
  const codes = {};
  let measuring = false;
  let stop = false;
  let calls = 0;
  let nonOk = 0;
  let badReplies = 0;
  let issued = 0;
  const latencies = [];
  const worker = async () => {
    while (!stop && (fixedCalls === undefined || issued < fixedCalls)) {
      issued++;
      const started = performance.now();
      try {
        const reply = await caller.call({ name: NAME });
        if (typeof reply?.message !== 'string' || !reply.message.includes(NAME)) badReplies += measuring ? 1 : 0;
        if (measuring) {
          calls++;
          latencies.push(performance.now() - started);
        }
      } catch (error) {
        const code = error?.code ?? 'unknown';
        if (measuring) {
          nonOk++;
          codes[code] = (codes[code] ?? 0) + 1;
        }
      }
    }
  };
  let cpu;
  let startedAt;
  const begin = () => {
    measuring = true;
    cpu = process.cpuUsage();
    startedAt = performance.now();
  };
  if (fixedCalls !== undefined) begin();
  else
    setTimeout(() => {
      begin();
      setTimeout(() => {
        stop = true;
      }, durationMs);
    }, warmupMs);
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - startedAt) / 1000;
  const used = process.cpuUsage(cpu);
  caller.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    calls,
    elapsedS,
    callsPerSec: calls / elapsedS,
    nonOk,
    badReplies,
    codes,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    cpuUsPerCall: (used.user + used.system) / Math.max(1, calls + nonOk),
  };
}

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}');
  const threads = options.threads ?? 1;
  if (threads <= 1) return runLoad(options);
  const perThread = { ...options, threads: 1, concurrency: Math.ceil((options.concurrency ?? 64) / threads) };
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(fileURLToPath(import.meta.url), { workerData: perThread });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const sum = (k) => results.reduce((s, r) => s + r[k], 0);
  return {
    calls: sum('calls'),
    callsPerSec: sum('callsPerSec'),
    nonOk: sum('nonOk'),
    badReplies: sum('badReplies'),
    codes: Object.assign({}, ...results.map((r) => r.codes)),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    cpuUsPerCall: undefined,
  };
}

if (isMainThread) {
  const result = await main();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  parentPort.postMessage(await runLoad(workerData));
}
