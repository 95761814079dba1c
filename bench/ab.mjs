// A/B of two unary servers under h2load: interleaved rounds (order alternating), each server
// pinned to core 0 and h2load to core 1; prints calls/s, p99 and server CPU µs per call per
// round, and the median of the per-round B/A ratios. For measuring one optimisation at a time.
// Usage: node bench/ab.mjs '<A>' '<B>' [rounds] [seconds]
//   where <A>/<B> is `[ENV=value ...] script args...`, e.g.
//   node bench/ab.mjs 'bench/servers/bare-greeter.mjs' 'bin/krpc-app.js start samples/greeter --host 127.0.0.1 --port 0' 8 3
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [specA, specB] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] ?? 8);
const seconds = Number(process.argv[5] ?? 3);
const taskset = existsSync('/usr/bin/taskset');
if (taskset) spawnSync('taskset', ['-a', '-pc', '1', String(process.pid)], { stdio: 'ignore' });
const body = join(tmpdir(), 'krpc-ab-hello.bin');
writeFileSync(body, Buffer.from([0, 0, 0, 0, 7, 0x0a, 5, ...Buffer.from('world')]));

async function start(spec) {
  const words = spec.split(/\s+/).filter(Boolean);
  const env = { ...process.env, KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' };
  while (words[0]?.includes('=')) {
    const [k, v] = words.shift().split('=');
    env[k] = v;
  }
  const args = taskset ? ['-c', '0', process.execPath, ...words] : words;
  const child = spawn(taskset ? 'taskset' : process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => {
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d;
      for (const line of buffer.split('\n')) {
        try {
          const parsed = JSON.parse(line);
          if (parsed.port && (!parsed.msg || /krpc-app listening/.test(parsed.msg))) resolve(parsed.port);
        } catch {}
      }
    });
  });
  return { child, port, pid: child.pid };
}

function cpuUs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

function load(server) {
  const log = join(tmpdir(), `krpc-ab-${process.pid}.log`);
  const cpu = cpuUs(server.pid);
  const args = ['-c', '8', '-m', '32', '-D', String(seconds), '--warm-up-time', '1', '-d', body, '--log-file', log];
  const out = spawnSync(
    taskset ? 'taskset' : 'h2load',
    [
      ...(taskset ? ['-c', '1', 'h2load'] : []),
      ...args,
      '-H',
      'content-type: application/grpc',
      '-H',
      'te: trailers',
      `http://127.0.0.1:${server.port}/helloworld.Greeter/SayHello`,
    ],
    { encoding: 'utf8' },
  ).stdout;
  const used = cpuUs(server.pid) - cpu;
  const rps = Number(/finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(out)?.[1]);
  const d = readFileSync(log, 'utf8')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f[1] === '200')
    .map((f) => Number(f[2]))
    .sort((a, b) => a - b);
  return { rps, p99: d[Math.floor(d.length * 0.99)] / 1000, cpuPerCall: used / (rps * (seconds + 1)) };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const a = await start(specA);
const b = await start(specB);
await sleep(300);
const ratios = { rps: [], p99: [], cpu: [] };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [b, a] : [a, b];
  const res = new Map();
  for (const s of order) res.set(s, load(s));
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
a.child.kill('SIGTERM');
b.child.kill('SIGTERM');
process.exit(0);
