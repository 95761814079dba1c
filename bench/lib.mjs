// What the bench scripts share (run.mjs, ab.mjs, profile.mjs): pinning to cores, starting a
// server and waiting for its port, h2load against SayHello, /proc readings and medians.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const H2LOAD = ['/usr/bin/h2load', '/usr/local/bin/h2load'].find((p) => existsSync(p));
export const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));
/**
 * Each server starts in a session of its own (setsid), so with the kernel's autogroup scheduling
 * (on by default in most distributions) two servers sharing a core split it per process, not per
 * thread: otherwise the one with more runnable threads (GC helpers) gets more of it.
 * BENCH_SETSID=0 turns it off.
 */
export const SETSID = process.env.BENCH_SETSID !== '0';
/** Servers run on core 0, load generators (and the bench itself) on core 1. */
export const SERVER_CORE = '0';
export const LOAD_CORE = '1';
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The command pinned to `core` when taskset exists. */
export function pinned(core, command, args) {
  return TASKSET ? [TASKSET, ['-c', core, command, ...args]] : [command, args];
}

/** Pins the calling process (all its threads) to `core`, when taskset exists. */
export function pinSelf(core) {
  if (TASKSET) execFileSync(TASKSET, ['-a', '-pc', core, String(process.pid)], { stdio: 'ignore' });
}

/** Runs `command args` pinned to `core`; resolves with its stdout, rejects on a non-zero exit. */
export function run(command, args, { env, core = LOAD_CORE } = {}) {
  const [cmd, argv] = pinned(core, command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err || out}`)),
    );
  });
}

/**
 * Starts `node ...nodeArgs` pinned to the server core; resolves once it reports its port: a
 * `{"port"}` line, or krpc-app's "krpc-app listening" log line (which carries the runtime port
 * too; the runtime's own earlier line with a port does not count).
 */
export async function spawnServer(nodeArgs, { env = {}, name = nodeArgs.join(' '), timeoutMs = 20_000 } = {}) {
  const [command, args] = pinned(SERVER_CORE, process.execPath, nodeArgs);
  const startedAt = performance.now();
  // samples/greeter turns its web port on (8080): a server here gets none unless `env` asks (bench/web.mjs)
  const childEnv = { KRPC_WEB_PORT: 'off', ...process.env, ...env };
  const child = spawn(command, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: SETSID });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const info = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in ${timeoutMs / 1000} s: ${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      buffer += d;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        let parsed;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        if (parsed.port && (parsed.msg === undefined || /krpc-app listening/.test(parsed.msg))) {
          clearTimeout(timer);
          resolve({ port: parsed.port, runtimePort: parsed.runtimePort, listeningMs: performance.now() - startedAt });
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
    });
  });
  child.stdout.resume();
  return {
    child,
    pid: child.pid,
    startedAt,
    ...info,
    /** Stops it with `signal` (SIGKILL after 3 s); resolves once it exited. */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/**
 * Starts a server from a spec `[ENV=value ...] [node flags] script args...` (as bench/ab.mjs and
 * bench/ab-h2h.mjs take them) with JSON logs and a free runtime port.
 */
export function startSpec(spec) {
  const words = spec.split(/\s+/).filter(Boolean);
  const env = { KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' };
  while (words[0]?.includes('=') && !words[0].startsWith('-')) {
    const [k, v] = words.shift().split('=');
    env[k] = v;
  }
  return spawnServer(words, { env });
}

/** Resident set size of a process in MB (NaN once it is gone). */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system, all threads) of a process in microseconds. */
export function cpuUs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
  } catch {
    return Number.NaN;
  }
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : Number.NaN;
}

/** Writes one gRPC frame holding `message` (protobuf bytes) to a temporary file, for h2load's body. */
function grpcFrameFile(name, message) {
  const file = join(tmpdir(), `krpc-bench-${name}-${process.pid}.bin`);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  writeFileSync(file, frame);
  return file;
}

/** HelloRequest{name:"world"}, the body h2load sends in the unary workload. */
const BODY_FILE = grpcFrameFile('hello', Buffer.from([0x0a, 0x05, ...Buffer.from('world')]));
/** Messages per stream in the h2load streaming workload. */
export const H2LOAD_STREAM_COUNT = 1000;
/** StreamRequest{count: H2LOAD_STREAM_COUNT, name: "world"} (1000 = e8 07 as a varint). */
const STREAM_BODY_FILE = grpcFrameFile('stream', Buffer.from([0x08, 0xe8, 0x07, 0x12, 0x05, ...Buffer.from('world')]));

/**
 * h2load (8 connections × 32 streams) against helloworld.Greeter/SayHello on the load core;
 * throughput from its summary, latency percentiles from its per-request log.
 */
export async function h2load(
  port,
  { seconds, warmupSeconds = 1, path = '/helloworld.Greeter/SayHello', body = BODY_FILE, connections = 8, streams = 32 },
) {
  const log = join(tmpdir(), `krpc-bench-h2load-${process.pid}-${port}.log`); // one per server: runs may overlap
  rmSync(log, { force: true }); // h2load appends to its log: without this a run's latencies were those of every earlier run on the port too
  const out = await run(H2LOAD, [
    '-c',
    String(connections),
    '-m',
    String(streams),
    '-D',
    String(seconds),
    '--warm-up-time',
    String(warmupSeconds),
    '-d',
    body,
    '-H',
    'content-type: application/grpc',
    '-H',
    'te: trailers',
    '--log-file',
    log,
    `http://127.0.0.1:${port}${path}`,
  ]);
  const finished = /finished in ([\d.]+)(\w*), ([\d.]+) req\/s/.exec(out);
  const rps = Number(finished?.[3]);
  const durationS = Number(finished?.[1]) / (finished?.[2] === 'ms' ? 1000 : 1);
  const dataBytes = Number(/\((\d+)\) data/.exec(out)?.[1]);
  const req = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  const durations = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .filter((f) => f[1] === '200')
    .map((f) => Number(f[2]) / 1000)
    .sort((a, b) => a - b);
  const result = {
    callsPerSec: rps,
    durationS,
    dataBytes,
    succeeded: Number(req?.[3]),
    failed: Number(req?.[4]) + Number(req?.[5]) + Number(req?.[6]),
    p50Ms: percentile(durations, 0.5),
    p99Ms: percentile(durations, 0.99),
  };
  // every OK request's latency in ms, sorted; not enumerable, so results files and spreads skip it
  Object.defineProperty(result, 'durations', { value: durations });
  return result;
}

/**
 * Sorted latencies (ms) as a histogram of 1 ms bins, written `"bin:count bin:count ..."` in
 * ascending order: one line per round in the results file, fine enough for a p99 of tens of ms.
 */
export function latencyHistogram(sorted) {
  const bins = [];
  for (const ms of sorted) {
    const bin = Math.floor(ms);
    const last = bins.at(-1);
    if (last?.[0] === bin) last[1]++;
    else bins.push([bin, 1]);
  }
  return bins.map(([bin, count]) => `${bin}:${count}`).join(' ');
}

/** The p-quantile (ms, bin midpoint) of several latency histograms (from latencyHistogram) taken together. */
export function pooledPercentile(histograms, p) {
  const counts = new Map();
  let total = 0;
  for (const histogram of histograms) {
    for (const pair of histogram.split(' ')) {
      const [bin, count] = pair.split(':').map(Number);
      counts.set(bin, (counts.get(bin) ?? 0) + count);
      total += count;
    }
  }
  const rank = Math.floor(p * total);
  let seen = 0;
  for (const bin of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bin);
    if (seen > rank) return bin + 0.5;
  }
  return Number.NaN;
}

/**
 * Bytes on the wire per message of the h2load streaming workload, on average: a 5-byte frame
 * header, `seq` (tag + varint) and `message: "Hello world"` (tag + length + 11 bytes).
 */
const STREAM_BYTES_PER_MESSAGE = (() => {
  let total = 0;
  for (let seq = 0; seq < H2LOAD_STREAM_COUNT; seq++) total += 5 + 1 + (seq < 128 ? 1 : 2) + 2 + 11;
  return total / H2LOAD_STREAM_COUNT;
})();

/**
 * h2load (4 connections × 8 streams) reading bench.Streamer/Stream, each request a stream of
 * H2LOAD_STREAM_COUNT small messages. Messages/s come from the DATA bytes h2load received over
 * the whole run (its warm-up second included, as h2load counts them; streams still running at its
 * end included): counting completed streams would count in waves, since the 32 streams advance
 * together and finish at about the same moments. h2load reads at C speed and never limits
 * the server the way a Node client does; it does not check the messages (the Node stream client
 * of the one-after-the-other rounds does, every one).
 */
export async function h2loadStream(port, { seconds, warmupSeconds = 1 }) {
  const r = await h2load(port, {
    seconds,
    warmupSeconds,
    path: '/bench.Streamer/Stream',
    body: STREAM_BODY_FILE,
    connections: 4,
    streams: 8,
  });
  return {
    messagesPerSec: r.dataBytes / STREAM_BYTES_PER_MESSAGE / r.durationS,
    streamsDone: r.succeeded,
    failed: r.failed,
  };
}
