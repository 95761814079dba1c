// Microbenchmark of the framework's per-call server path, without the network: grpc-js's
// handler contract driven with fake calls (an EventEmitter with metadata, deadline, peer).
// Compares a bare grpc-js handler with the framework's unary adapter (RpcContext, call scope,
// interceptor chain, active-call tracking, the runtime's ServerMetrics observer). Reports CPU ns
// per call, median of interleaved rounds. Run after `npm run build`:
//   node bench/micro/unary-path.mjs [rounds] [callsPerRound]
import { Registry } from 'prom-client';
import { silentLogger } from '../../dist/src/logging/index.js';
import { ServerMetrics } from '../../dist/src/runtime/server-metrics.js';
import { unaryAdapter } from '../../dist/src/server/unary-adapter.js';
import { FakeCall, SAY_HELLO_INFO } from './fake-call.mjs';

const rounds = Number(process.argv[2] ?? 9);
const perRound = Number(process.argv[3] ?? 200_000);
const BATCH = 256;

const info = SAY_HELLO_INFO;
const greet = (name) => `Hello ${name}`;

const variants = {
  'bare grpc-js handler': (call, callback) => callback(null, { message: greet(call.request.name) }),
  'krpc adapter, no observer': unaryAdapter({
    info,
    handler: (req) => ({ message: greet(req.name) }),
    interceptors: [],
    observer: { start: () => true, received() {}, sent() {}, end() {} },
    logger: silentLogger(),
    active: new Set(),
    scope: 'sync',
  }),
  'krpc adapter + ServerMetrics': unaryAdapter({
    info,
    handler: (req) => ({ message: greet(req.name) }),
    interceptors: [],
    observer: new ServerMetrics({ registry: new Registry() }).forMethod(info),
    logger: silentLogger(),
    active: new Set(),
    scope: 'sync',
  }),
};

async function runBatch(handler, n) {
  let pending = n;
  let resolve;
  const done = new Promise((r) => {
    resolve = r;
  });
  const callback = (error, reply) => {
    if (error || !reply.message.endsWith('world')) throw new Error('bad reply');
    if (--pending === 0) resolve();
  };
  for (let i = 0; i < n; i++) {
    const call = new FakeCall({ name: 'world' });
    handler(call, callback);
  }
  await done;
}

async function measure(handler) {
  const cpu = process.cpuUsage();
  for (let done = 0; done < perRound; done += BATCH) await runBatch(handler, BATCH);
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / perRound;
}

const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const handler of Object.values(variants)) await measure(handler); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, handler] of Object.entries(variants)) results[name].push(await measure(handler));
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(results['bare grpc-js handler']);
for (const [name, values] of Object.entries(results)) {
  const m = median(values);
  console.log(`${name.padEnd(32)} ${m.toFixed(0).padStart(6)} ns/call  (+${(m - base).toFixed(0)} ns over bare)`);
}
