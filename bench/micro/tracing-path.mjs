// Microbenchmark of what tracing adds to the framework's per-call server path, without the
// network (fake grpc-js calls, as bench/micro/unary-path.mjs). One mode per process, since the
// context manager a tracer registers changes every later call:
//   off     the unary adapter + ServerMetrics, call scope sync (the greeter's default)
//   async   the same with the call scope on AsyncLocalStorage (what any context manager costs)
//   span    tracing on: the framework's server span, the SDK's BatchSpanProcessor, an exporter that drops
//   otlp    the same, the exporter serializing each batch to OTLP protobuf (what goes on the wire)
// Reports CPU ns per call (median of rounds). Run after `npm run build`:
//   for m in off async span otlp; do node bench/micro/tracing-path.mjs $m; done
import { trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Registry } from 'prom-client';
import { silentLogger } from '../../dist/src/logging/index.js';
import { ServerMetrics } from '../../dist/src/runtime/server-metrics.js';
import { unaryAdapter } from '../../dist/src/server/unary-adapter.js';
import { createServerTracer } from '../../dist/src/tracing/index.js';
import { FakeCall, SAY_HELLO_INFO } from './fake-call.mjs';

const mode = process.argv[2] ?? 'off';
const rounds = Number(process.argv[3] ?? 7);
const perRound = Number(process.argv[4] ?? 100_000);
const BATCH = 256;

const info = SAY_HELLO_INFO;

let exported = 0;
let bytes = 0;
let tracer;
if (mode === 'span' || mode === 'otlp') {
  const exporter = {
    export(spans, done) {
      exported += spans.length;
      if (mode === 'otlp') bytes += ProtobufTraceSerializer.serializeRequest(spans)?.length ?? 0;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  // a queue large enough that no span is dropped: the cost of every span is counted
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 1_000_000, scheduledDelayMillis: 50 })],
  });
  provider.register();
  tracer = createServerTracer(trace.getTracer('bench')).forMethod(info);
}

const handler = unaryAdapter({
  info,
  handler: (req) => ({ message: `Hello ${req.name}` }),
  interceptors: [],
  observer: new ServerMetrics({ registry: new Registry() }).forMethod(info),
  logger: silentLogger(),
  active: new Set(),
  scope: mode === 'async' ? 'async' : 'sync',
  tracer,
  accessLog: false,
});

async function runBatch(n) {
  let pending = n;
  let resolve;
  const done = new Promise((r) => {
    resolve = r;
  });
  const callback = (error) => {
    if (error) throw error;
    if (--pending === 0) resolve();
  };
  for (let i = 0; i < n; i++) handler(new FakeCall({ name: 'world' }), callback);
  await done;
  // let the batch processor's timer run, as an event loop between requests would
  await new Promise((r) => setImmediate(r));
}

async function measure() {
  const cpu = process.cpuUsage();
  for (let done = 0; done < perRound; done += BATCH) await runBatch(BATCH);
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / perRound;
}

await measure();
const values = [];
for (let r = 0; r < rounds; r++) values.push(await measure());
const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `${mode.padEnd(6)} ${median.toFixed(0).padStart(6)} ns/call` +
    (tracer ? `  (${exported} spans exported${mode === 'otlp' ? `, ${(bytes / Math.max(exported, 1)).toFixed(0)} bytes/span` : ''})` : ''),
);
process.exit(0);
