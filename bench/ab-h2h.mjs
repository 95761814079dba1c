// A/B of two servers head-to-head (both at once on the server core, each under its own h2load on
// the load core, each in its own session so the core splits per process): calls/s (or messages/s
// with `stream`), p99 and server CPU per call of each, per round, and the median B/A ratios.
// Usage: node bench/ab-h2h.mjs '<A>' '<B>' [rounds] [seconds] [unary|stream]
//   where <A>/<B> is `[ENV=value ...] script args...`, as for bench/ab.mjs.
import { cpuUs, h2load, h2loadStream, LOAD_CORE, median, pinSelf, startSpec } from './lib.mjs';

const [specA, specB] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] ?? 8);
const seconds = Number(process.argv[5] ?? 3);
const workload = process.argv[6] ?? 'unary';
pinSelf(LOAD_CORE);

async function load(server) {
  if (workload === 'stream') {
    const r = await h2loadStream(server.port, { seconds });
    return { rate: r.messagesPerSec, p99: Number.NaN };
  }
  const r = await h2load(server.port, { seconds });
  return { rate: r.callsPerSec, p99: r.p99Ms };
}

const [a, b] = [await startSpec(specA), await startSpec(specB)];
const ratios = { rate: [], p99: [], cpu: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    const before = [cpuUs(a.pid), cpuUs(b.pid)];
    const [ra, rb] = await Promise.all([load(a), load(b)]);
    const used = [cpuUs(a.pid) - before[0], cpuUs(b.pid) - before[1]];
    const cpuA = used[0] / (ra.rate * (seconds + 1));
    const cpuB = used[1] / (rb.rate * (seconds + 1));
    ratios.rate.push(rb.rate / ra.rate);
    ratios.p99.push(rb.p99 / ra.p99);
    ratios.cpu.push(cpuB / cpuA);
    console.log(
      `round ${round}: A ${Math.round(ra.rate)}/s p99 ${ra.p99.toFixed(1)} cpu ${cpuA.toFixed(2)} µs | B ${Math.round(rb.rate)}/s p99 ${rb.p99.toFixed(1)} cpu ${cpuB.toFixed(2)} µs | B/A ${(rb.rate / ra.rate).toFixed(3)} (A's share ${(used[0] / (used[0] + used[1])).toFixed(3)})`,
    );
  }
} finally {
  await Promise.all([a.stop(), b.stop()]);
}
console.log(
  `median B/A: rate ${median(ratios.rate).toFixed(3)}, p99 ${median(ratios.p99).toFixed(3)}, server CPU per unit ${median(ratios.cpu).toFixed(3)}`,
);
