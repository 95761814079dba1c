// A/B of two unary servers under h2load: interleaved rounds (order alternating), each server
// pinned to core 0 and h2load to core 1; prints calls/s, p99 and server CPU µs per call per
// round, and the median of the per-round B/A ratios. For measuring one optimisation at a time.
// Usage: node bench/ab.mjs '<A>' '<B>' [rounds] [seconds]
//   where <A>/<B> is `[ENV=value ...] script args...`, e.g.
//   node bench/ab.mjs 'bench/servers/bare-greeter.mjs' 'bin/krpc-app.js start samples/greeter --host 127.0.0.1 --port 0' 8 3
import { cpuUs, h2load, LOAD_CORE, median, pinSelf, startSpec } from './lib.mjs';

const [specA, specB] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] ?? 8);
const seconds = Number(process.argv[5] ?? 3);
pinSelf(LOAD_CORE);

/** One h2load run: calls/s, p99 (ms) and server CPU µs per call (warm-up second included). */
async function load(server) {
  const cpu = cpuUs(server.pid);
  const { callsPerSec, p99Ms } = await h2load(server.port, { seconds });
  return { rps: callsPerSec, p99: p99Ms, cpuPerCall: (cpuUs(server.pid) - cpu) / (callsPerSec * (seconds + 1)) };
}

const a = await startSpec(specA);
const b = await startSpec(specB);
const ratios = { rps: [], p99: [], cpu: [] };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [b, a] : [a, b];
  const res = new Map();
  for (const s of order) res.set(s, await load(s));
  const ra = res.get(a);
  const rb = res.get(b);
  ratios.rps.push(rb.rps / ra.rps);
  ratios.p99.push(rb.p99 / ra.p99);
  ratios.cpu.push(rb.cpuPerCall / ra.cpuPerCall);
  console.log(
    `round ${r + 1}: A ${ra.rps.toFixed(0)}/s p99 ${ra.p99.toFixed(1)} ms cpu ${ra.cpuPerCall.toFixed(1)} µs | B ${rb.rps.toFixed(0)}/s p99 ${rb.p99.toFixed(1)} ms cpu ${rb.cpuPerCall.toFixed(1)} µs | B/A ${(rb.rps / ra.rps).toFixed(3)}`,
  );
}
console.log(
  `median B/A: calls/s ${median(ratios.rps).toFixed(3)}, p99 ${median(ratios.p99).toFixed(3)}, server CPU per call ${median(ratios.cpu).toFixed(3)}`,
);
await Promise.all([a.stop(), b.stop()]);
