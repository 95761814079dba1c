// The cost of tracing per call: KubernetesRPC's greeter with tracing on (OTEL_TRACES_EXPORTER=otlp,
// the default parentbased_always_on sampler: every h2load call is a sampled root span, exported in
// batches over OTLP/HTTP protobuf to bench/servers/otlp-sink.mjs) head-to-head with the same
// greeter with tracing off, and, as a control, tracing off against bare grpc-js. Both servers of a
// pair run at the same time on the server core, each under its own h2load on the load core, so the
// ratio of their rates is the ratio of their per-call costs whatever the host does. Prints the
// rounds and the medians, and writes bench/results/tracing.json.
// Run after `npm run build`: node bench/tracing/run.mjs  (BENCH_ROUNDS, default 5; BENCH_SECONDS, default 4)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuUs, h2load, LOAD_CORE, median, pinned, pinSelf, root, spawnServer } from '../lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const GREETER = ['bin/krpc-app.js', 'start', 'samples/greeter', '--host', '127.0.0.1', '--port', '0'];
const KRPC_ENV = { KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' };

pinSelf(LOAD_CORE);
/** The sink runs on the load core: a collector is another pod, its work is not the app's. */
async function startSink() {
  const [command, args] = pinned(LOAD_CORE, process.execPath, ['bench/servers/otlp-sink.mjs']);
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { port: JSON.parse(String(line)).port, stop: () => child.kill('SIGTERM') };
}
const sink = await startSink();
const stats = async () => (await fetch(`http://127.0.0.1:${sink.port}/stats`)).json();
const traced = await spawnServer(GREETER, {
  name: 'krpc traced',
  env: {
    ...KRPC_ENV,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.port}`,
    OTEL_SERVICE_NAME: 'bench',
  },
});
const off = await spawnServer(GREETER, { name: 'krpc off', env: KRPC_ENV });
const bare = await spawnServer(['bench/servers/bare-greeter.mjs'], { name: 'bare' });

/** Both at once, each under its own h2load: calls/s and server CPU µs per call of each. */
async function pair(a, b) {
  const before = [cpuUs(a.pid), cpuUs(b.pid)];
  const [ra, rb] = await Promise.all([h2load(a.port, { seconds: SECONDS }), h2load(b.port, { seconds: SECONDS })]);
  const cpu = (i, r) => (cpuUs([a, b][i].pid) - before[i]) / (r.callsPerSec * (SECONDS + 1));
  return {
    a: { rps: ra.callsPerSec, p99Ms: ra.p99Ms, cpuUsPerCall: cpu(0, ra) },
    b: { rps: rb.callsPerSec, p99Ms: rb.p99Ms, cpuUsPerCall: cpu(1, rb) },
  };
}

const rounds = [];
try {
  // one pair unrecorded: the traced server's first seconds are spent compiling the SDK's code
  await pair(traced, off);
  for (let round = 1; round <= ROUNDS; round++) {
    const exportedBefore = await stats();
    const on = await pair(traced, off);
    const exported = await stats();
    const control = await pair(off, bare);
    const spans = exported.spans - exportedBefore.spans;
    rounds.push({ tracedVsOff: on, offVsBare: control, spansExported: spans });
    console.log(
      `round ${round}: traced ${on.a.rps.toFixed(0)}/s (${on.a.cpuUsPerCall.toFixed(1)} µs/call) vs off ${on.b.rps.toFixed(0)}/s (${on.b.cpuUsPerCall.toFixed(1)} µs/call): ×${(on.a.rps / on.b.rps).toFixed(3)}; ` +
        `${spans} spans exported; off ÷ bare ×${(control.a.rps / control.b.rps).toFixed(3)}`,
    );
  }
} finally {
  await Promise.all([traced.stop(), off.stop(), bare.stop()]);
  sink.stop();
}

const result = {
  date: new Date().toISOString(),
  rounds: ROUNDS,
  seconds: SECONDS,
  tracedOverOff: {
    callsPerSec: median(rounds.map((r) => r.tracedVsOff.a.rps / r.tracedVsOff.b.rps)),
    serverCpuPerCall: median(rounds.map((r) => r.tracedVsOff.a.cpuUsPerCall / r.tracedVsOff.b.cpuUsPerCall)),
  },
  tracedCpuUsPerCall: median(rounds.map((r) => r.tracedVsOff.a.cpuUsPerCall)),
  offCpuUsPerCall: median(rounds.map((r) => r.tracedVsOff.b.cpuUsPerCall)),
  offOverBare: { callsPerSec: median(rounds.map((r) => r.offVsBare.a.rps / r.offVsBare.b.rps)) },
  exportedShare: median(rounds.map((r) => r.spansExported / (r.tracedVsOff.a.rps * (SECONDS + 1)))),
  perRound: rounds,
};
console.log(
  `median: tracing on ÷ off calls/s ×${result.tracedOverOff.callsPerSec.toFixed(3)}, server CPU per call ×${result.tracedOverOff.serverCpuPerCall.toFixed(3)} ` +
    `(${result.tracedCpuUsPerCall.toFixed(1)} vs ${result.offCpuUsPerCall.toFixed(1)} µs); spans exported / calls ${result.exportedShare.toFixed(3)}; ` +
    `control: off ÷ bare grpc-js ×${result.offOverBare.callsPerSec.toFixed(3)}`,
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/tracing.json'), `${JSON.stringify(result, null, 2)}\n`);
