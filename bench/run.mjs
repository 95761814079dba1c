// `npm run bench`: KubernetesRPC side by side with bare grpc-js, NestJS 12, nice-grpc, Connect-ES
// (connect-node) and a bare node:http2 ceiling. Interleaved rounds (the server order rotates each round) of:
//   1. unary SayHello under h2load (server pinned to core 0, h2load to core 1), p50/p99 from its log;
//   2. server-streaming messages/s (bench/apps/streamer vs bench/servers/bare-streamer.mjs);
//   3. unary through the client proxy vs a bare grpc-js client (client-side cost);
//   4. start-up to /readyz and RSS (idle, under load), after the other rounds, on an otherwise idle core;
//   5. bench/balancing (when present), run once; bench/tracing (tracing on ÷ off, head-to-head), run once;
//   6. head-to-head: the pairs a target compares (KubernetesRPC and bare grpc-js, KubernetesRPC and
//      NestJS; proxy and bare client), and KubernetesRPC with each other peer (nice-grpc,
//      Connect-ES), run at the same time on the same core, each under its own load generator, so
//      a change in the host's speed hits both alike (see docs/performance.md).
// The peers' generated code (bench/generate.mjs) is written afresh before any server starts.
// Reports medians over rounds and the median of the per-round ratios to bare grpc-js, prints a
// table, writes bench/results/<date>.json and latest.json, and regenerates the generated part of
// docs/performance.md. Environment: BENCH_ROUNDS (5), BENCH_SECONDS (4), BENCH_SKIP (comma list of
// unary,stream,client,startup,h2h,balancing,tracing), BENCH_NO_DOCS=1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generatePeerCode } from './generate.mjs';
import {
  cpuUs,
  H2LOAD,
  h2load,
  h2loadStream,
  LOAD_CORE,
  latencyHistogram,
  median,
  pinSelf,
  pooledPercentile,
  root,
  rssMb,
  run,
  SETSID,
  spawnServer,
  TASKSET,
} from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARMUP_SECONDS = 1;
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
// ---------- processes ----------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const KRPC_ENV = { KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' };

/** Server kinds: how to start each and how it says it is listening. */
const SERVERS = {
  bare: { label: 'bare grpc-js', args: () => ['bench/servers/bare-greeter.mjs'] },
  krpc: {
    label: 'krpc-app (runtime on)',
    args: () => ['bin/krpc-app.js', 'start', 'samples/greeter', '--host', '127.0.0.1', '--port', '0'],
    krpc: true,
  },
  nest: { label: 'NestJS 12', args: async () => ['bench/servers/nest-greeter.mjs', String(await freePort())] },
  nice: { label: 'nice-grpc', args: () => ['bench/servers/nice-greeter.mjs'] },
  connect: { label: 'Connect-ES (connect-node)', args: () => ['bench/servers/connect-greeter.mjs'] },
  ceiling: { label: 'node:http2 fixed reply', args: () => ['bench/servers/h2-ceiling.mjs'] },
  bareStreamer: { label: 'bare grpc-js', args: () => ['bench/servers/bare-streamer.mjs'] },
  krpcStreamer: {
    label: 'krpc-app (runtime on)',
    args: () => ['bin/krpc-app.js', 'start', 'bench/apps/streamer', '--host', '127.0.0.1', '--port', '0'],
    krpc: true,
  },
};
/**
 * The same krpc-app servers with the call scope on AsyncLocalStorage (KRPC_CALL_SCOPE=async): what
 * an app that has clients pays (the default `auto` turns it on for those; the greeter has none).
 */
SERVERS.krpcAsync = { ...SERVERS.krpc, env: { KRPC_CALL_SCOPE: 'async' } };
SERVERS.krpcStreamerAsync = { ...SERVERS.krpcStreamer, env: { KRPC_CALL_SCOPE: 'async' } };

/**
 * Starts a server pinned to the server core; resolves once it reports its port (a {"port"} line,
 * or krpc-app's "krpc-app listening" log line, which carries the runtime port too).
 */
async function startServer(kind, { env = {}, logLevel } = {}) {
  const spec = SERVERS[kind];
  const childEnv = { ...(spec.krpc ? KRPC_ENV : {}), ...spec.env, ...env };
  if (logLevel) childEnv.KRPC_LOG_LEVEL = logLevel;
  return { kind, ...(await spawnServer(await spec.args(), { env: childEnv, name: kind })) };
}

/** Samples a process' RSS while `work` runs; resolves with the work's result, the peak RSS and CPU µs used. */
async function watched(pid, work) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 200);
  const cpuBefore = cpuUs(pid);
  try {
    const result = await work();
    return { result, peakRssMb: Math.max(peak, rssMb(pid)), cpuUs: cpuUs(pid) - cpuBefore };
  } finally {
    clearInterval(timer);
  }
}

async function nodeJson(script, options) {
  const out = await run(process.execPath, [script, JSON.stringify(options)]);
  return JSON.parse(out.trim().split('\n').pop());
}

// ---------- workloads ----------

/** The fallback load generator: a grpc-js client in two worker threads (no h2load). */
async function builtinLoad(port) {
  const r = await nodeJson('bench/clients/unary-client.mjs', {
    mode: 'bare',
    target: `127.0.0.1:${port}`,
    threads: 2,
    concurrency: 256,
    durationMs: SECONDS * 1000,
    warmupMs: WARMUP_SECONDS * 1000,
    name: 'world',
  });
  return { callsPerSec: r.callsPerSec, succeeded: r.calls, failed: r.nonOk, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
}

/** A burst of real grpc-js calls; every reply checked, non-OK statuses counted. */
function correctnessBurst(port) {
  return nodeJson('bench/clients/unary-client.mjs', { mode: 'bare', target: `127.0.0.1:${port}`, calls: 1000, concurrency: 32 });
}

/** Sum of krpc's grpc_server_handled_total for `method` with a non-OK code (other than `except`). */
async function krpcNonOk(runtimePort, method, except = 'OK') {
  const text = await (await fetch(`http://127.0.0.1:${runtimePort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (
      line.startsWith('grpc_server_handled_total{') &&
      line.includes(`grpc_method="${method}"`) &&
      !line.includes('grpc_code="OK"') &&
      !line.includes(`grpc_code="${except}"`)
    ) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

async function unaryRound(server) {
  const checked = server.kind !== 'ceiling';
  const before = checked ? await correctnessBurst(server.port) : undefined;
  const nonOkBefore = server.runtimePort ? await krpcNonOk(server.runtimePort, 'SayHello') : 0;
  const {
    result,
    peakRssMb,
    cpuUs: used,
  } = await watched(server.pid, () =>
    H2LOAD ? h2load(server.port, { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS }) : builtinLoad(server.port),
  );
  const nonOkUnderLoad = server.runtimePort ? (await krpcNonOk(server.runtimePort, 'SayHello')) - nonOkBefore : undefined;
  const after = checked ? await correctnessBurst(server.port) : undefined;
  const totalCalls = result.callsPerSec * (SECONDS + WARMUP_SECONDS);
  return {
    ...result,
    serverCpuUsPerCall: used / totalCalls,
    peakRssMb,
    nonOkUnderLoad,
    check: checked
      ? {
          calls: before.calls + after.calls,
          nonOk: before.nonOk + after.nonOk,
          badReplies: before.badReplies + after.badReplies,
          codes: { ...before.codes, ...after.codes },
        }
      : undefined,
  };
}

async function streamRound(server) {
  const { result, cpuUs: used } = await watched(server.pid, () =>
    nodeJson('bench/clients/stream-client.mjs', {
      target: `127.0.0.1:${server.port}`,
      streams: 4,
      count: 10_000,
      durationMs: SECONDS * 1000,
      warmupMs: WARMUP_SECONDS * 1000,
    }),
  );
  return { ...result, serverCpuUsPerMessage: used / (result.messagesPerSec * (SECONDS + WARMUP_SECONDS)) };
}

/**
 * Two servers at once, both on the server core, each under its own h2load on the load core. The
 * kernel gives each half the core at the same moments, so the ratio of their rates is the ratio
 * of their per-call (or per-message) costs whatever the host does meanwhile; each one's share of
 * the CPU they used together is recorded to show the split was even.
 */
async function headToHeadRound(a, b, { load = unaryLoad, rate = (r) => r.callsPerSec, unit = 'Call', histograms = false } = {}) {
  const before = [cpuUs(a.pid), cpuUs(b.pid)];
  const [ra, rb] = await Promise.all([load(a), load(b)]);
  const used = [cpuUs(a.pid) - before[0], cpuUs(b.pid) - before[1]];
  const one = (i, r) => ({
    ...r,
    ...(histograms && r.durations ? { latencyMs: latencyHistogram(r.durations) } : {}),
    cpuShare: used[i] / (used[0] + used[1]),
    [`serverCpuUsPer${unit}`]: used[i] / (rate(r) * (SECONDS + WARMUP_SECONDS)),
  });
  return { [a.kind]: one(0, ra), [b.kind]: one(1, rb) };
}

function unaryLoad(server) {
  return H2LOAD ? h2load(server.port, { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS }) : builtinLoad(server.port);
}

/**
 * Both streaming servers at once under h2load (see h2loadStream); KubernetesRPC's non-OK streams
 * counted, except CANCELLED: h2load closes its connections at the end of the run, cancelling the
 * streams still in flight (at most 4 × 8 per server and round).
 */
async function headToHeadStreamRound(krpc, bare) {
  const nonOkBefore = await krpcNonOk(krpc.runtimePort, 'Stream', 'CANCELLED');
  const r = await headToHeadRound(krpc, bare, {
    load: (server) => h2loadStream(server.port, { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS }),
    rate: (x) => x.messagesPerSec,
    unit: 'Message',
  });
  r[krpc.kind].nonOkUnderLoad = (await krpcNonOk(krpc.runtimePort, 'Stream', 'CANCELLED')) - nonOkBefore;
  return r;
}

function clientRound(mode, port) {
  return nodeJson('bench/clients/unary-client.mjs', {
    mode,
    target: `127.0.0.1:${port}`,
    concurrency: 64,
    durationMs: SECONDS * 1000,
    warmupMs: WARMUP_SECONDS * 1000,
    name: 'world',
  });
}

/**
 * The status of one `GET path` (e.g. /readyz) over node:http on a new connection, as the kubelet probes (0 on a
 * connection error). Not fetch(): its first call loads undici into this process (~100 ms), which
 * the first round used to charge to the app.
 */
function httpGet(http, port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(0));
  });
}

/**
 * Spawn → "listening" line → /readyz 200 (krpc), then idle RSS a second later; krpc's /metrics is
 * scraped once first, as Prometheus would (its default metrics load on the first scrape or a
 * second after ready, whichever comes first, and are in the RSS either way).
 */
async function startupRound(kind) {
  const http = await import('node:http');
  const server = await startServer(kind, { logLevel: 'info' });
  let readyMs = server.listeningMs;
  if (server.runtimePort) {
    for (;;) {
      const ok = (await httpGet(http, server.runtimePort, '/readyz')) === 200;
      if (ok) break;
      if (performance.now() - server.startedAt > 10_000) throw new Error(`${kind} never became ready`);
      await sleep(2);
    }
    readyMs = performance.now() - server.startedAt;
    await httpGet(http, server.runtimePort, '/metrics');
  }
  await sleep(1000);
  const idleRssMb = rssMb(server.pid);
  await server.stop();
  return { listeningMs: server.listeningMs, readyMs, idleRssMb };
}

// ---------- statistics and reporting ----------

/** Median over rounds of `pick(round)`. */
const med = (rounds, pick) => median(rounds.map(pick));
/** Median over rounds of the per-round ratio a/b (pairs measured seconds apart, so drift cancels). */
const ratio = (rounds, a, b) => median(rounds.map((r) => a(r) / b(r)));
/** The 25th and 75th percentiles of `values` (linear interpolation): how much rounds disagree. */
function quartiles(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (v.length === 0) return [Number.NaN, Number.NaN];
  const at = (q) => {
    const i = (v.length - 1) * q;
    const lo = Math.floor(i);
    return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (i - lo);
  };
  return [at(0.25), at(0.75)];
}
/**
 * Unary p99 head-to-head, KubernetesRPC ÷ bare, each side's p99 taken over the calls of all
 * rounds together (from the per-round 1 ms histograms). Per round, p99 is bimodal on a shared
 * VM: a round's ~1% slowest calls are the ~256 calls in flight during its worst stall (a full
 * garbage collection, or the VM losing the core), so a round reads either ~60 ms or 150–450 ms,
 * for either server, and a median of per-round ratios swings with which side drew the stall
 * (docs/performance.md, "What sets unary p99"). `spread`: the 25th–75th percentiles of the same
 * ratio over 400 resamplings of the rounds (bootstrap, fixed seed).
 */
function pooledP99Ratio(h2h) {
  const of = (rounds) =>
    pooledPercentile(
      rounds.map((r) => r.krpcBare.krpc.latencyMs),
      0.99,
    ) /
    pooledPercentile(
      rounds.map((r) => r.krpcBare.bare.latencyMs),
      0.99,
    );
  let seed = 0x6b727063;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const resampled = Array.from({ length: 400 }, () => of(h2h.map(() => h2h[Math.floor(random() * h2h.length)])));
  return { ratio: of(h2h), spread: quartiles(resampled) };
}
/** Quartiles over rounds of the per-round ratio a/b. */
const ratioSpread = (rounds, a, b) => quartiles(rounds.map((r) => a(r) / b(r)));

const fmt = (v, digits = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';

function machine() {
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', ['--all']).toString().trim());
  } catch {}
  let autogroup = false;
  try {
    autogroup = readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {}
  // head-to-head servers split the core per process only with both (see SETSID in lib.mjs)
  const perProcessShare = SETSID && autogroup;
  return { nproc, cpuModel, node: process.version, h2load: Boolean(H2LOAD), taskset: Boolean(TASKSET), perProcessShare };
}

// ---------- main ----------

const BALANCING_CONCURRENCY = '32';

/** bench/balancing's result file, if it was written after `since`. */
function readBalancing(since) {
  for (const name of [`balancing-c${BALANCING_CONCURRENCY}.json`, 'balancing.json']) {
    const file = join(root, 'bench/results', name);
    if (!existsSync(file)) continue;
    const data = JSON.parse(readFileSync(file, 'utf8'));
    if (new Date(data.date) >= since) return data;
  }
  return { error: 'bench/balancing/run.mjs wrote no result file during this run' };
}

/**
 * `node bench/run.mjs --rerender`: summarises bench/results/latest.json again and rewrites its
 * table and docs/performance.md (after a change to the report, without measuring again).
 */
function rerender() {
  const file = join(root, 'bench/results/latest.json');
  const previous = JSON.parse(readFileSync(file, 'utf8'));
  const started = new Date(new Date(previous.date).getTime() - previous.durationS * 1000);
  const balancing = previous.balancing?.results ? previous.balancing : readBalancing(started);
  const result = { ...previous, ...summarize(previous.rounds, balancing), rounds: previous.rounds };
  const table = renderTable(result);
  console.log(table);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const dated = join(root, 'bench/results', `${previous.date.replace(/[:.]/g, '-')}.json`);
  if (existsSync(dated)) writeFileSync(dated, `${JSON.stringify(result, null, 2)}\n`);
  writeDocs(result, table);
}

const UNARY_KINDS = ['bare', 'krpc', 'krpcAsync', 'nest', 'nice', 'connect', 'ceiling'];
/** The head-to-head pairs, keyed by name. */
const H2H_PAIRS = { krpcBare: ['krpc', 'bare'], krpcNest: ['krpc', 'nest'], krpcNice: ['krpc', 'nice'], krpcConnect: ['krpc', 'connect'] };
/** The peers besides bare grpc-js and NestJS: reported as ratios, with no target. */
const PEERS = [
  { kind: 'nice', pair: 'krpcNice', title: 'nice-grpc' },
  { kind: 'connect', pair: 'krpcConnect', title: 'Connect-ES' },
];
const STREAM_KINDS = ['bareStreamer', 'krpcStreamer', 'krpcStreamerAsync'];

async function main() {
  pinSelf(LOAD_CORE);
  const started = new Date();
  const info = { ...machine(), loadAvgStart: loadavg().map((x) => Number(x.toFixed(2))) };
  console.log(
    `KubernetesRPC bench: ${ROUNDS} rounds × ${SECONDS} s (+${WARMUP_SECONDS} s warm-up); ${info.nproc} cores (${info.cpuModel}), Node ${info.node}; load average ${info.loadAvgStart.join(' ')}`,
  );
  if (!H2LOAD)
    console.log(
      'h2load not found: unary load comes from the built-in grpc-js load generator (2 worker threads); install nghttp2-client for h2load.',
    );
  if (!TASKSET) console.log('taskset not found: server and load generator are not pinned to separate cores.');
  if (!info.perProcessShare)
    console.log(
      'head-to-head servers share the core per thread (no kernel autogroup, or BENCH_SETSID=0): the one with more runnable threads gets more of it.',
    );
  if (info.loadAvgStart[0] > info.nproc * 0.5)
    console.log(
      `warning: the machine is busy (load ${info.loadAvgStart[0]}); absolute numbers will be low, ratios still compare like with like.`,
    );

  const rounds = { unary: [], stream: [], client: [], startup: [], h2h: [] };
  const servers = {};
  try {
    if (!SKIP.has('unary') || !SKIP.has('client') || !SKIP.has('h2h')) {
      generatePeerCode();
      for (const kind of UNARY_KINDS) servers[kind] = await startServer(kind);
    }
    if (!SKIP.has('stream') || (!SKIP.has('h2h') && H2LOAD)) {
      for (const kind of STREAM_KINDS) servers[kind] = await startServer(kind);
    }
    if (!SKIP.has('unary') || !SKIP.has('h2h')) {
      // one unmeasured run each first: a cold server's first seconds under load run unoptimized
      // code, and at Connect-ES's rate that is most of a first round (bench/NOTES.md, "Peers")
      for (const kind of UNARY_KINDS) await unaryLoad(servers[kind]);
      console.log(`warm-up: one unmeasured h2load run against each of ${UNARY_KINDS.join(', ')}`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const rotate = (list) => list.map((_, i) => list[(i + round) % list.length]);
      const t0 = performance.now();
      if (!SKIP.has('unary')) {
        const r = {};
        for (const kind of rotate(UNARY_KINDS)) r[kind] = await unaryRound(servers[kind]);
        rounds.unary.push(r);
      }
      if (!SKIP.has('stream')) {
        const r = {};
        for (const kind of rotate(STREAM_KINDS)) r[kind] = await streamRound(servers[kind]);
        rounds.stream.push(r);
      }
      if (!SKIP.has('client')) {
        const r = {};
        for (const mode of rotate(['bare', 'proxy'])) r[mode] = await clientRound(mode, servers.ceiling.port);
        rounds.client.push(r);
      }
      if (!SKIP.has('h2h')) {
        const r = {};
        for (const [name, [a, b]] of rotate(Object.entries(H2H_PAIRS))) {
          r[name] = await headToHeadRound(servers[a], servers[b], { histograms: name === 'krpcBare' });
        }
        if (H2LOAD) r.stream = await headToHeadStreamRound(servers.krpcStreamer, servers.bareStreamer);
        const [bare, proxy] = await Promise.all([clientRound('bare', servers.ceiling.port), clientRound('proxy', servers.ceiling.port)]);
        r.client = { bare, proxy };
        rounds.h2h.push(r);
      }
      const u = rounds.unary.at(-1);
      const h = rounds.h2h.at(-1);
      console.log(
        `round ${round + 1}/${ROUNDS} (${fmt((performance.now() - t0) / 1000, 1)} s)` +
          (u ? `: unary calls/s ${UNARY_KINDS.map((k) => `${k} ${fmt(u[k].callsPerSec)}`).join(', ')}` : '') +
          (h
            ? `; head-to-head ${Object.entries(H2H_PAIRS)
                .map(([name, [a, b]]) => `${a}÷${b} ${fmt(h[name][a].callsPerSec / h[name][b].callsPerSec, 3)}`)
                .join(', ')}`
            : '') +
          (h?.stream ? `, streaming ${fmt(h.stream.krpcStreamer.messagesPerSec / h.stream.bareStreamer.messagesPerSec, 3)}` : ''),
      );
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  // Start-up rounds run once the load rounds' servers are gone: next to eight idle Node processes
  // pinned to the same core, still collecting the garbage of the last load round, a start measures
  // them too (KubernetesRPC, pinned, 10 alternating starts each: 433 ms next to them, 395 ms alone).
  if (!SKIP.has('startup')) {
    for (let round = 0; round < ROUNDS; round++) {
      const r = {};
      for (const kind of ['bare', 'krpc', 'nest'].map((_, i, list) => list[(i + round) % list.length])) r[kind] = await startupRound(kind);
      rounds.startup.push(r);
    }
    console.log(`start-up: ${ROUNDS} rounds`);
  }

  let balancing;
  if (!SKIP.has('balancing') && existsSync(join(root, 'bench/balancing/run.mjs'))) {
    console.log(`balancing: CONCURRENCY=${BALANCING_CONCURRENCY} node bench/balancing/run.mjs`);
    try {
      await run(process.execPath, ['bench/balancing/run.mjs'], { core: '0,1', env: { CONCURRENCY: BALANCING_CONCURRENCY } });
      balancing = readBalancing(started);
    } catch (error) {
      balancing = { error: String(error.message ?? error).slice(0, 500) };
    }
  }

  let tracing;
  if (!SKIP.has('tracing')) {
    console.log('tracing: node bench/tracing/run.mjs');
    try {
      await run(process.execPath, ['bench/tracing/run.mjs'], {
        core: '0,1',
        env: { BENCH_ROUNDS: String(ROUNDS), BENCH_SECONDS: String(SECONDS) },
      });
      tracing = JSON.parse(readFileSync(join(root, 'bench/results/tracing.json'), 'utf8'));
    } catch (error) {
      tracing = { error: String(error.message ?? error).slice(0, 500) };
    }
  }

  const report = { ...summarize(rounds, balancing), tracing };
  const finished = new Date();
  const result = {
    date: finished.toISOString(),
    durationS: Math.round((finished - started) / 1000),
    machine: { ...info, loadAvgEnd: loadavg().map((x) => Number(x.toFixed(2))) },
    settings: {
      rounds: ROUNDS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      h2load: H2LOAD ? 'h2load -c 8 -m 32' : 'built-in grpc-js load generator (2 worker threads, 256 in flight)',
      pinned: Boolean(TASKSET),
    },
    ...report,
    rounds,
  };
  const table = renderTable(result);
  console.log(`\n${table}`);
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${finished.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file} and bench/results/latest.json`);
  if (process.env.BENCH_NO_DOCS !== '1') {
    writeDocs(result, table);
    console.log('updated docs/performance.md');
  }
}

/** Table columns: which server of each workload they show. */
const COLUMNS = [
  { title: 'bare grpc-js', unary: 'bare', stream: 'bareStreamer', client: 'bare', startup: 'bare' },
  { title: 'KubernetesRPC (default runtime)', unary: 'krpc', stream: 'krpcStreamer', client: 'proxy', startup: 'krpc' },
  { title: 'KubernetesRPC, KRPC_CALL_SCOPE=async (apps with clients)', unary: 'krpcAsync', stream: 'krpcStreamerAsync' },
  { title: 'NestJS 12', unary: 'nest', startup: 'nest' },
  { title: 'nice-grpc (ts-proto)', unary: 'nice' },
  { title: 'Connect-ES (connect-node)', unary: 'connect' },
  { title: 'node:http2 fixed reply (ceiling)', unary: 'ceiling' },
];

function summarize(rounds, balancing) {
  const { unary, stream, client, startup } = rounds;
  const h2h = rounds.h2h ?? [];
  const medians = {};
  const targets = [];
  const informational = [];
  const peers = [];
  const round3 = (x) => (Number.isFinite(x) ? Number(x.toFixed(3)) : null);
  /** A ratio to or of a peer with no target: the median of per-round ratios, with their quartiles. */
  const peerRatio = (name, rounds, a, b) =>
    rounds.length && peers.push({ name, value: round3(ratio(rounds, a, b)), spread: ratioSpread(rounds, a, b).map(round3) });
  /** A target; `spread` is the 25th–75th percentile of the per-round values behind the median. */
  const target = (name, value, op, limit, unit = '', spread = [Number.NaN, Number.NaN]) => {
    const met = Number.isFinite(value) ? (op === '≥' ? value >= limit : value <= limit) : undefined;
    targets.push({ name, value: round3(value), spread: spread.map(round3), target: `${op} ${limit}${unit}`, met });
  };
  /** A ratio target: the median of per-round ratios, with their quartiles. */
  const ratioTarget = (name, rounds, a, b, op, limit) => target(name, ratio(rounds, a, b), op, limit, '', ratioSpread(rounds, a, b));
  const info = (name, value) => informational.push({ name, value: Number.isFinite(value) ? Number(value.toFixed(3)) : null });
  /** With head-to-head rounds, the unary and client targets are judged on those; one-after-the-other ratios are shown for reference. */
  const sequentialTarget = (name, rounds, a, b, op, limit) =>
    h2h.length ? info(`${name} (one after the other)`, ratio(rounds, a, b)) : ratioTarget(name, rounds, a, b, op, limit);
  if (h2h.length) {
    const pair = (name, kind) => (r) => r[name][kind].callsPerSec;
    ratioTarget('unary calls/s, KubernetesRPC ÷ bare (head-to-head)', h2h, pair('krpcBare', 'krpc'), pair('krpcBare', 'bare'), '≥', 0.97);
    const p99 = (name, kind) => (r) => r[name][kind].p99Ms;
    if (h2h.every((r) => r.krpcBare.krpc.latencyMs && r.krpcBare.bare.latencyMs)) {
      const pooled = pooledP99Ratio(h2h);
      target('unary p99, KubernetesRPC ÷ bare (head-to-head, calls of all rounds pooled)', pooled.ratio, '≤', 1.1, '', pooled.spread);
      info(
        'unary p99, KubernetesRPC ÷ bare (head-to-head, median of per-round ratios)',
        ratio(h2h, p99('krpcBare', 'krpc'), p99('krpcBare', 'bare')),
      );
    } else {
      ratioTarget('unary p99, KubernetesRPC ÷ bare (head-to-head)', h2h, p99('krpcBare', 'krpc'), p99('krpcBare', 'bare'), '≤', 1.1);
    }
    ratioTarget('unary calls/s, KubernetesRPC ÷ NestJS (head-to-head)', h2h, pair('krpcNest', 'krpc'), pair('krpcNest', 'nest'), '≥', 1.1);
    const c = (mode) => (r) => r.client[mode].callsPerSec;
    ratioTarget('client calls/s, proxy ÷ bare grpc-js client (head-to-head)', h2h, c('proxy'), c('bare'), '≥', 0.95);
    info(
      'head-to-head: KubernetesRPC share of the server core, with bare',
      med(h2h, (r) => r.krpcBare.krpc.cpuShare),
    );
    info(
      'head-to-head: KubernetesRPC share of the server core, with NestJS',
      med(h2h, (r) => r.krpcNest.krpc.cpuShare),
    );
    const cpu = (name, kind) => (r) => r[name][kind].serverCpuUsPerCall;
    info('head-to-head: server CPU per call, KubernetesRPC ÷ bare', ratio(h2h, cpu('krpcBare', 'krpc'), cpu('krpcBare', 'bare')));
    info('head-to-head: server CPU per call, KubernetesRPC ÷ NestJS', ratio(h2h, cpu('krpcNest', 'krpc'), cpu('krpcNest', 'nest')));
    for (const { kind, pair: name, title } of PEERS) {
      const paired = h2h.filter((r) => r[name]);
      peerRatio(`unary calls/s, KubernetesRPC ÷ ${title} (head-to-head)`, paired, pair(name, 'krpc'), pair(name, kind));
      peerRatio(`server CPU per call, KubernetesRPC ÷ ${title} (head-to-head)`, paired, cpu(name, 'krpc'), cpu(name, kind));
      if (paired.length)
        info(
          `head-to-head: KubernetesRPC share of the server core, with ${title}`,
          med(paired, (r) => r[name].krpc.cpuShare),
        );
    }
    // peer ÷ bare from one round's two pairs, (peer ÷ KubernetesRPC) × (KubernetesRPC ÷ bare): never run side by side
    for (const { kind, pair: name, title } of [{ kind: 'nest', pair: 'krpcNest', title: 'NestJS' }, ...PEERS]) {
      peerRatio(
        `unary calls/s, ${title} ÷ bare (head-to-head, through KubernetesRPC in the same round)`,
        h2h.filter((r) => r[name]),
        (r) => r[name][kind].callsPerSec * r.krpcBare.krpc.callsPerSec,
        (r) => r[name].krpc.callsPerSec * r.krpcBare.bare.callsPerSec,
      );
    }
    info(
      'head-to-head: client CPU per call, proxy ÷ bare',
      ratio(
        h2h,
        (r) => r.client.proxy.cpuUsPerCall,
        (r) => r.client.bare.cpuUsPerCall,
      ),
    );
    const streamed = h2h.filter((r) => r.stream);
    if (streamed.length) {
      const m = (kind) => (r) => r.stream[kind].messagesPerSec;
      ratioTarget(
        'server-streaming msgs/s, KubernetesRPC ÷ bare (head-to-head)',
        streamed,
        m('krpcStreamer'),
        m('bareStreamer'),
        '≥',
        0.95,
      );
      info(
        'head-to-head streaming: KubernetesRPC share of the server core',
        med(streamed, (r) => r.stream.krpcStreamer.cpuShare),
      );
      info(
        'head-to-head streaming: server CPU per message, KubernetesRPC ÷ bare',
        ratio(
          streamed,
          (r) => r.stream.krpcStreamer.serverCpuUsPerMessage,
          (r) => r.stream.bareStreamer.serverCpuUsPerMessage,
        ),
      );
    }
    medians.h2h = {};
    if (streamed.length) {
      const m = (kind) => (r) => r.stream[kind].messagesPerSec;
      medians.h2h.stream = {
        bareStreamer: { messagesPerSec: med(streamed, m('bareStreamer')) },
        krpcStreamer: { messagesPerSec: med(streamed, m('krpcStreamer')) },
      };
    }
    for (const [name, kinds] of Object.entries(H2H_PAIRS)) {
      const paired = h2h.filter((r) => r[name]);
      if (paired.length) medians.h2h[name] = Object.fromEntries(kinds.map((k) => [k, { callsPerSec: med(paired, pair(name, k)) }]));
    }
    medians.h2h.client = { bare: { callsPerSec: med(h2h, c('bare')) }, proxy: { callsPerSec: med(h2h, c('proxy')) } };
  }
  const pick = (key) => (r) => r[key];
  if (unary.length) {
    medians.unary = {};
    for (const kind of UNARY_KINDS.filter((k) => unary.every((r) => r[k]))) {
      medians.unary[kind] = {
        callsPerSec: med(unary, (r) => r[kind].callsPerSec),
        p50Ms: med(unary, (r) => r[kind].p50Ms),
        p99Ms: med(unary, (r) => r[kind].p99Ms),
        serverCpuUsPerCall: med(unary, (r) => r[kind].serverCpuUsPerCall),
        peakRssMb: Math.max(...unary.map((r) => r[kind].peakRssMb)),
      };
    }
    const u = (kind, field) => (r) => r[kind][field];
    sequentialTarget('unary calls/s, KubernetesRPC ÷ bare', unary, u('krpc', 'callsPerSec'), u('bare', 'callsPerSec'), '≥', 0.97);
    sequentialTarget('unary p99, KubernetesRPC ÷ bare', unary, u('krpc', 'p99Ms'), u('bare', 'p99Ms'), '≤', 1.1);
    sequentialTarget('unary calls/s, KubernetesRPC ÷ NestJS', unary, u('krpc', 'callsPerSec'), u('nest', 'callsPerSec'), '≥', 1.1);
    info('unary calls/s, KRPC_CALL_SCOPE=async ÷ bare', ratio(unary, u('krpcAsync', 'callsPerSec'), u('bare', 'callsPerSec')));
    info('unary p99, KRPC_CALL_SCOPE=async ÷ bare', ratio(unary, u('krpcAsync', 'p99Ms'), u('bare', 'p99Ms')));
    info('unary calls/s, NestJS ÷ bare', ratio(unary, u('nest', 'callsPerSec'), u('bare', 'callsPerSec')));
    for (const { kind, title } of PEERS) {
      if (!unary.every((r) => r[kind])) continue;
      peerRatio(`unary calls/s, KubernetesRPC ÷ ${title} (one after the other)`, unary, u('krpc', 'callsPerSec'), u(kind, 'callsPerSec'));
      peerRatio(`unary calls/s, ${title} ÷ bare (one after the other)`, unary, u(kind, 'callsPerSec'), u('bare', 'callsPerSec'));
      peerRatio(
        `server CPU per call, ${title} ÷ bare (one after the other)`,
        unary,
        u(kind, 'serverCpuUsPerCall'),
        u('bare', 'serverCpuUsPerCall'),
      );
    }
    info('unary calls/s, ceiling ÷ bare', ratio(unary, u('ceiling', 'callsPerSec'), u('bare', 'callsPerSec')));
    info('server CPU per call, KubernetesRPC ÷ bare', ratio(unary, u('krpc', 'serverCpuUsPerCall'), u('bare', 'serverCpuUsPerCall')));
  }
  if (stream.length) {
    medians.stream = {};
    for (const kind of STREAM_KINDS) {
      medians.stream[kind] = {
        messagesPerSec: med(stream, (r) => r[kind].messagesPerSec),
        serverCpuUsPerMessage: med(stream, (r) => r[kind].serverCpuUsPerMessage),
      };
    }
    const m = (kind) => (r) => r[kind].messagesPerSec;
    const streamedH2h = h2h.some((r) => r.stream);
    if (streamedH2h)
      info('server-streaming msgs/s, KubernetesRPC ÷ bare (one after the other)', ratio(stream, m('krpcStreamer'), m('bareStreamer')));
    else ratioTarget('server-streaming msgs/s, KubernetesRPC ÷ bare', stream, m('krpcStreamer'), m('bareStreamer'), '≥', 0.95);
    info('server-streaming msgs/s, KRPC_CALL_SCOPE=async ÷ bare', ratio(stream, m('krpcStreamerAsync'), m('bareStreamer')));
    info(
      'server CPU per streamed msg, KubernetesRPC ÷ bare',
      ratio(
        stream,
        (r) => r.krpcStreamer.serverCpuUsPerMessage,
        (r) => r.bareStreamer.serverCpuUsPerMessage,
      ),
    );
  }
  if (client.length) {
    medians.client = {};
    for (const mode of ['bare', 'proxy']) {
      medians.client[mode] = {
        callsPerSec: med(client, (r) => r[mode].callsPerSec),
        p50Ms: med(client, (r) => r[mode].p50Ms),
        p99Ms: med(client, (r) => r[mode].p99Ms),
        cpuUsPerCall: med(client, (r) => r[mode].cpuUsPerCall),
      };
    }
    const c = (mode, field) => (r) => r[mode][field];
    sequentialTarget('client calls/s, proxy ÷ bare grpc-js client', client, c('proxy', 'callsPerSec'), c('bare', 'callsPerSec'), '≥', 0.95);
    info('client CPU per call, proxy ÷ bare grpc-js client', ratio(client, c('proxy', 'cpuUsPerCall'), c('bare', 'cpuUsPerCall')));
  }
  if (startup.length) {
    medians.startup = {};
    for (const kind of ['bare', 'krpc', 'nest']) {
      medians.startup[kind] = {
        listeningMs: med(startup, (r) => r[kind].listeningMs),
        readyMs: med(startup, (r) => r[kind].readyMs),
        idleRssMb: med(startup, (r) => r[kind].idleRssMb),
      };
    }
    const krpcStartup = (field) => quartiles(startup.map((r) => r.krpc[field]));
    target('KubernetesRPC start-up to /readyz 200', medians.startup.krpc.readyMs, '≤', 600, ' ms', krpcStartup('readyMs'));
    const startupRatios = quartiles(startup.map((r) => r.krpc.readyMs / r.bare.listeningMs));
    target(
      'KubernetesRPC start-up ÷ bare grpc-js start-up',
      med(startup, (r) => r.krpc.readyMs / r.bare.listeningMs),
      '≤',
      2.2,
      '',
      startupRatios,
    );
    target('KubernetesRPC idle RSS', medians.startup.krpc.idleRssMb, '≤', 80, ' MB', krpcStartup('idleRssMb'));
  }
  const sum = (list, f) => list.reduce((s, x) => s + f(x), 0);
  const correctness = {
    unaryChecked: { calls: 0, nonOk: 0, badReplies: 0 },
    krpcNonOkUnderH2load:
      sum(unary, (r) => (r.krpc.nonOkUnderLoad ?? 0) + (r.krpcAsync.nonOkUnderLoad ?? 0)) +
      sum(h2h, (r) => r.stream?.krpcStreamer.nonOkUnderLoad ?? 0),
    h2loadFailed:
      sum(unary, (r) => sum(Object.values(r), (x) => x.failed || 0)) +
      sum(h2h, (r) =>
        sum([...Object.keys(H2H_PAIRS), 'stream'], (name) => (r[name] ? sum(Object.values(r[name]), (x) => x.failed || 0) : 0)),
      ),
    stream: {
      nonOk: sum(stream, (r) => sum(Object.values(r), pick('nonOk'))),
      badMessages: sum(stream, (r) => sum(Object.values(r), pick('badMessages'))),
    },
    client: {
      nonOk: sum(client, (r) => r.bare.nonOk + r.proxy.nonOk) + sum(h2h, (r) => r.client.bare.nonOk + r.client.proxy.nonOk),
      badReplies:
        sum(client, (r) => r.bare.badReplies + r.proxy.badReplies) + sum(h2h, (r) => r.client.bare.badReplies + r.client.proxy.badReplies),
    },
  };
  for (const r of unary) {
    for (const x of Object.values(r)) {
      if (!x.check) continue;
      correctness.unaryChecked.calls += x.check.calls;
      correctness.unaryChecked.nonOk += x.check.nonOk;
      correctness.unaryChecked.badReplies += x.check.badReplies;
    }
  }
  return { medians, targets, peers, informational, correctness, balancing };
}

function renderTable(result) {
  const { medians: m, targets, peers = [], informational, correctness: c, balancing } = result;
  const lines = [];
  const table = (header, rows) => {
    lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  };
  const cells = (workload, field, digits) =>
    COLUMNS.map((col) => {
      const kind = col[workload];
      const value = kind ? m[workload]?.[kind]?.[field] : undefined;
      return value === undefined ? '' : fmt(value, digits);
    });
  const rows = [];
  if (m.unary) {
    rows.push(['unary calls/s (h2load -c 8 -m 32)', ...cells('unary', 'callsPerSec', 0)]);
    rows.push(['unary p50 ms', ...cells('unary', 'p50Ms', 2)]);
    rows.push(['unary p99 ms', ...cells('unary', 'p99Ms', 2)]);
    rows.push(['server CPU µs per unary call', ...cells('unary', 'serverCpuUsPerCall', 1)]);
    rows.push(['peak RSS under unary load, MB', ...cells('unary', 'peakRssMb', 1)]);
  }
  if (m.stream) {
    rows.push(['server-streaming msgs/s', ...cells('stream', 'messagesPerSec', 0)]);
    rows.push(['server CPU µs per streamed msg', ...cells('stream', 'serverCpuUsPerMessage', 2)]);
  }
  if (m.client) {
    rows.push(['client calls/s (bare grpc-js client vs client proxy)', ...cells('client', 'callsPerSec', 0)]);
    rows.push(['client CPU µs per call', ...cells('client', 'cpuUsPerCall', 1)]);
  }
  if (m.startup) {
    rows.push(['start-up ms (spawn → listening; KubernetesRPC: → /readyz 200)', ...cells('startup', 'readyMs', 0)]);
    rows.push(['idle RSS after start-up, MB', ...cells('startup', 'idleRssMb', 1)]);
  }
  table(['median over rounds', ...COLUMNS.map((col) => col.title)], rows);
  lines.push('');
  table(
    [
      'target (median of per-round ratios, unless it says otherwise)',
      'measured',
      'middle half of rounds (pooled p99: of resamplings)',
      'target',
      'verdict',
    ],
    targets.map((t) => [
      t.name,
      fmt(t.value, t.target.includes('ms') || t.target.includes('MB') ? 0 : 3),
      t.spread && Number.isFinite(t.spread[0])
        ? `${fmt(t.spread[0], t.target.includes('ms') || t.target.includes('MB') ? 0 : 3)}–${fmt(t.spread[1], t.target.includes('ms') || t.target.includes('MB') ? 0 : 3)}`
        : '',
      t.target,
      t.met === undefined ? 'n/a' : t.met ? 'met' : '**not met**',
    ]),
  );
  lines.push('');
  if (peers.length) {
    table(
      ['peers, no target (median of per-round ratios)', 'measured', 'middle half of rounds'],
      peers.map((x) => [x.name, fmt(x.value, 3), Number.isFinite(x.spread?.[0]) ? `${fmt(x.spread[0], 3)}–${fmt(x.spread[1], 3)}` : '']),
    );
    lines.push('');
  }
  table(
    ['for reference (median of per-round ratios)', 'measured'],
    informational.map((x) => [x.name, fmt(x.value, 3)]),
  );
  lines.push(
    '',
    `Correctness: ${c.unaryChecked.calls} unary calls checked with a grpc-js client before and after every h2load run (${c.unaryChecked.nonOk} non-OK, ${c.unaryChecked.badReplies} wrong replies); ` +
      `${c.krpcNonOkUnderH2load} non-OK statuses counted by KubernetesRPC's own grpc_server_handled_total during its h2load runs; ${c.h2loadFailed} h2load failures; ` +
      `streaming ${c.stream.nonOk} non-OK, ${c.stream.badMessages} wrong messages; client workload ${c.client.nonOk} non-OK, ${c.client.badReplies} wrong replies.`,
  );
  if (balancing?.results) {
    lines.push('');
    table(
      ['balancing (bench/balancing: one slow replica of three)', 'calls/s', 'p50 ms', 'p99 ms', 'slow replica share', 'errors'],
      balancing.results.map((b) => [
        b.policy,
        fmt(b.throughputPerSec),
        fmt(b.p50Ms, 1),
        fmt(b.p99Ms, 1),
        fmt(b.slowReplicaShare, 2),
        String(b.errors),
      ]),
    );
  } else if (balancing?.error) {
    lines.push('', `balancing: failed (${balancing.error})`);
  }
  const { tracing } = result;
  if (tracing?.tracedOverOff) {
    lines.push(
      '',
      `tracing (bench/tracing: OTLP/HTTP batches to a local receiver, every call a sampled span), on ÷ off head-to-head: ` +
        `calls/s ×${fmt(tracing.tracedOverOff.callsPerSec, 3)}, server CPU per call ×${fmt(tracing.tracedOverOff.serverCpuPerCall, 3)} ` +
        `(${fmt(tracing.tracedCpuUsPerCall, 1)} vs ${fmt(tracing.offCpuUsPerCall, 1)} µs), ${fmt(tracing.exportedShare * 100, 1)}% of spans exported`,
    );
  } else if (tracing?.error) {
    lines.push('', `tracing: failed (${tracing.error})`);
  }
  return lines.join('\n');
}

const BEGIN = '<!-- bench:begin (generated by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:end -->';

function writeDocs(result, table) {
  const file = join(root, 'docs/performance.md');
  const { machine: mc, settings } = result;
  const generated = [
    BEGIN,
    '',
    `Last run: ${result.date.slice(0, 10)} (${result.durationS} s) on ${mc.nproc} cores, ${mc.cpuModel}, Node ${mc.node}; ` +
      `load average ${mc.loadAvgStart.join(' ')} at start, ${mc.loadAvgEnd.join(' ')} at end. ` +
      `${settings.rounds} interleaved rounds of ${settings.seconds} s (+${settings.warmupSeconds} s warm-up); unary load: ${settings.h2load}; ` +
      `${settings.pinned ? 'server pinned to core 0, load generator to core 1' : 'not pinned (no taskset)'}.`,
    '',
    table,
    '',
    END,
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : `# Performance\n\n${BEGIN}\n${END}\n`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  text = a >= 0 && b > a ? text.slice(0, a) + generated + text.slice(b + END.length) : `${text}\n${generated}\n`;
  writeFileSync(file, text);
}

if (process.argv[2] === '--rerender') rerender();
else await main();
process.exit(0);
