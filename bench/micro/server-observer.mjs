// Microbenchmark of the runtime's per-call metrics work on the server: one method's observer,
// bound once, driven through start → received → sent → end(OK) per call (what a unary call does),
// without the network. Variants:
//   - no observer work (the loop and the two performance.now() calls only);
//   - ServerMetrics from this build (number cells exported through prom-client Counters at
//     collect, a prom-client Histogram child observed per call);
//   - plain prom-client children: labels() children of Counters and the Histogram, bound once;
//   - optionally, ServerMetrics from another build (e.g. before a change), given its file.
// Reports CPU ns per call, median of interleaved rounds. Run after `npm run build`:
//   node bench/micro/server-observer.mjs [rounds] [callsPerRound] [path/to/other/dist/src/runtime/server-metrics.js]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Counter, Histogram, Registry } from 'prom-client';
import { InFlightLimiter } from '../../dist/src/runtime/in-flight-limiter.js';
import { ServerMetrics } from '../../dist/src/runtime/server-metrics.js';

const rounds = Number(process.argv[2] ?? 9);
const perRound = Number(process.argv[3] ?? 500_000);
const other = process.argv[4];

const info = {
  service: 'helloworld.Greeter',
  rpcName: 'SayHello',
  path: '/helloworld.Greeter/SayHello',
  kind: 'unary',
  className: 'GreeterService',
  propertyKey: 'sayHello',
};
const labels = { grpc_type: info.kind, grpc_service: info.service, grpc_method: info.rpcName };
const codes = Array.from({ length: 17 }, (_, i) => String(i));

/** The same metrics and in-flight count as plain prom-client label children, bound once per method. */
function promChildren(registry) {
  const method = Object.keys(labels);
  const counter = (name, extra = []) => new Counter({ name, help: name, labelNames: [...method, ...extra], registers: [registry] });
  const started = counter('started_total').labels(labels);
  const handledTotal = counter('handled_total', ['grpc_code']);
  const handled = codes.map((grpc_code) => handledTotal.labels({ ...labels, grpc_code }));
  const received = counter('received_total').labels(labels);
  const sent = counter('sent_total').labels(labels);
  const histogram = new Histogram({ name: 'handling_seconds', help: 'h', labelNames: method, registers: [registry] }).labels(labels);
  const limiter = new InFlightLimiter();
  return {
    start: () => {
      started.inc();
      return limiter.tryAcquire();
    },
    received: () => received.inc(),
    sent: () => sent.inc(),
    end: (code, startedAt) => {
      limiter.release();
      (handled[code] ?? handled[2]).inc();
      histogram.observe((performance.now() - startedAt) / 1000);
    },
  };
}

const variants = {
  'no observer work': { start: () => true, received() {}, sent() {}, end() {} },
  'ServerMetrics (this build)': new ServerMetrics({ registry: new Registry() }).forMethod(info),
  'plain prom-client children': promChildren(new Registry()),
};
if (other) {
  const { ServerMetrics: Other } = await import(pathToFileURL(resolve(other)).href);
  variants[`ServerMetrics (${other})`] = new Other({ registry: new Registry() }).forMethod(info);
}

function measure(observer) {
  const cpu = process.cpuUsage();
  for (let i = 0; i < perRound; i++) {
    const startedAt = performance.now();
    if (!observer.start()) throw new Error('shed');
    observer.received();
    observer.sent();
    observer.end(0, startedAt);
  }
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / perRound;
}

const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const observer of Object.values(variants)) measure(observer); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, observer] of Object.entries(variants)) results[name].push(measure(observer));
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(results['no observer work']);
for (const [name, values] of Object.entries(results)) {
  const m = median(values);
  console.log(`${name.padEnd(40)} ${m.toFixed(0).padStart(6)} ns/call  (+${(m - base).toFixed(0)} ns over no observer work)`);
}
