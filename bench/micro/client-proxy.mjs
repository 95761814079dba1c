// Client-side cost of a unary call through the framework's client proxy vs a bare grpc-js
// client, against one node:http2 server answering a fixed reply (bench/servers/h2-ceiling.mjs,
// pinned to core 0; the clients to core 1 when taskset exists). Each (mode, round) runs in a
// fresh client process, modes in rotating order per round; reports calls/s and client CPU µs per
// call (process.cpuUsage) per round, then the medians and the median per-round ratio to `bare`.
// Run after building dist/ (npx tsc -p tsconfig.build.json):
//   node bench/micro/client-proxy.mjs [rounds] [seconds] [--modes bare,proxy] [--concurrency 64] [--base DIR]
// With --inproc, one client process holds every mode and alternates them in short slices
// (rounds = slices per mode, seconds = length of a slice): less exposed to a noisy machine's drift.
// Modes:
//   bare           the generated grpc-js client (no deadline, default channel options), as bench/clients
//   bare-deadline  the same with a 30 s deadline per call (grpc-js arms a timer per call)
//   bare-channel   a generic grpc-js Client with the framework's channel options and service
//                  config, makeUnaryRequest with no deadline (what the channel setup alone costs)
//   bare-loaded    bare, in a process that has imported the framework (dist/src/index.js) as proxy does
//   proxy          createClientLayer().get('helloworld.Greeter').sayHello from ./dist
//   proxy-scoped   the same, called inside an incoming call scope (deadline, signal, x-request-id)
//   proxy-base     the proxy from another build (--base DIR holding dist/, package.json, node_modules)
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROTO = join(root, 'samples/greeter/proto/helloworld.proto');
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));
const NAME = 'world';

async function proxyCaller(distRoot, target, scoped) {
  const dist = (p) => pathToFileURL(join(distRoot, 'dist/src', p)).href;
  const { createClientLayer } = await import(dist('index.js'));
  const { loadProtos } = await import(dist('proto/index.js'));
  const layer = createClientLayer({ services: { 'helloworld.Greeter': { target } }, env: {} });
  layer.setup(loadProtos([PROTO], { root }), []);
  const greeter = layer.get('helloworld.Greeter');
  if (!scoped) return { call: (req) => greeter.sayHello(req), close: () => layer.close() };
  const { runInCallScope } = await import(dist('context/index.js'));
  const metadata = new grpc.Metadata();
  metadata.set('x-request-id', 'bench-1');
  const signal = new AbortController().signal;
  setMaxListeners(0, signal); // one incoming call shared by every concurrent loop (a bench artefact)
  const scope = { deadline: new Date(Date.now() + 3_600_000), signal, metadata };
  const call = (req) => greeter.sayHello(req);
  return { call: (req) => runInCallScope('async', scope, call, req), close: () => layer.close() };
}

async function makeCaller(mode, target, base) {
  if (mode === 'proxy') return proxyCaller(root, target, false);
  if (mode === 'proxy-scoped') return proxyCaller(root, target, true);
  if (mode === 'proxy-base') return proxyCaller(base, target, false);
  if (mode === 'bare-channel') {
    const { DEFAULT_CHANNEL_OPTIONS } = await import(pathToFileURL(join(root, 'dist/src/client/channel-pool.js')).href);
    const config = { loadBalancingConfig: [{ round_robin: {} }], methodConfig: [] };
    const client = new grpc.Client(target, grpc.credentials.createInsecure(), {
      ...DEFAULT_CHANNEL_OPTIONS,
      'grpc.service_config': JSON.stringify(config),
    });
    const { helloworld } = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO));
    const def = helloworld.Greeter.service.SayHello;
    return {
      call: (req) =>
        new Promise((res, rej) =>
          client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, new grpc.Metadata(), {}, (e, r) =>
            e ? rej(e) : res(r),
          ),
        ),
      close: () => client.close(),
    };
  }
  if (mode === 'bare-loaded') await import(pathToFileURL(join(root, 'dist/src/index.js')).href);
  const { helloworld } = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO));
  const client = new helloworld.Greeter(target, grpc.credentials.createInsecure());
  if (mode === 'bare-deadline') {
    return {
      call: (req) => new Promise((res, rej) => client.SayHello(req, { deadline: Date.now() + 30_000 }, (e, r) => (e ? rej(e) : res(r)))),
      close: () => client.close(),
    };
  }
  return {
    call: (req) => new Promise((res, rej) => client.SayHello(req, (e, r) => (e ? rej(e) : res(r)))),
    close: () => client.close(),
  };
}

async function child({ mode, target, base, concurrency, seconds }) {
  const caller = await makeCaller(mode, target, base);
  await caller.call({ name: NAME });
  let measuring = false;
  let stop = false;
  let calls = 0;
  let bad = 0;
  const loop = async () => {
    while (!stop) {
      try {
        const reply = await caller.call({ name: NAME });
        if (measuring) {
          calls++;
          if (typeof reply?.message !== 'string' || !reply.message.includes(NAME)) bad++;
        }
      } catch {
        if (measuring) bad++;
      }
    }
  };
  let cpu;
  let startedAt;
  setTimeout(() => {
    measuring = true;
    cpu = process.cpuUsage();
    startedAt = performance.now();
    setTimeout(() => {
      stop = true;
    }, seconds * 1000);
  }, 500);
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - startedAt) / 1000;
  const used = process.cpuUsage(cpu);
  caller.close();
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return { calls, bad, callsPerSec: calls / elapsed, cpuUsPerCall: (used.user + used.system) / Math.max(1, calls), heapMb };
}

async function inproc({ modes, target, base, concurrency, slices, sliceMs }) {
  const callers = {};
  for (const mode of modes) {
    callers[mode] = await makeCaller(mode, target, base);
    for (let i = 0; i < 2000; i++) await callers[mode].call({ name: NAME });
  }
  const results = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < slices; r++) {
    for (let i = 0; i < modes.length; i++) {
      const mode = modes[(i + r) % modes.length];
      const caller = callers[mode];
      let stop = false;
      let calls = 0;
      let bad = 0;
      const loop = async () => {
        while (!stop) {
          try {
            const reply = await caller.call({ name: NAME });
            calls++;
            if (typeof reply?.message !== 'string' || !reply.message.includes(NAME)) bad++;
          } catch {
            bad++;
          }
        }
      };
      const timer = setTimeout(() => {
        stop = true;
      }, sliceMs);
      const cpu = process.cpuUsage();
      const startedAt = performance.now();
      await Promise.all(Array.from({ length: concurrency }, loop));
      clearTimeout(timer);
      const used = process.cpuUsage(cpu);
      const elapsed = (performance.now() - startedAt) / 1000;
      results[mode].push({ calls, bad, callsPerSec: calls / elapsed, cpuUsPerCall: (used.user + used.system) / Math.max(1, calls) });
    }
  }
  for (const caller of Object.values(callers)) caller.close();
  return results;
}

function spawnNode(args, core) {
  const [command, argv] = TASKSET ? [TASKSET, ['-c', core, process.execPath, ...args]] : [process.execPath, args];
  return spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstJsonLine(proc) {
  return new Promise((ok, fail) => {
    let buffer = '';
    proc.stdout.on('data', (d) => {
      buffer += d;
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line && buffer.includes('\n')) ok(JSON.parse(line));
    });
    proc.once('exit', (code) => fail(new Error(`exited with ${code}`)));
  });
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const argv = process.argv.slice(2);
  const flag = (name, fallback) => {
    const i = argv.indexOf(name);
    if (i < 0) return fallback;
    const [value] = argv.splice(i, 2).slice(1);
    return value;
  };
  const modes = flag('--modes', 'bare,proxy').split(',');
  const inprocFlag = argv.includes('--inproc');
  if (inprocFlag) argv.splice(argv.indexOf('--inproc'), 1);
  const concurrency = Number(flag('--concurrency', 64));
  const base = resolve(flag('--base', '/tmp/krpc-base'));
  const rounds = Number(argv[0] ?? 7);
  const seconds = Number(argv[1] ?? 3);
  const server = spawnNode([join(root, 'bench/servers/h2-ceiling.mjs')], '0');
  process.once('exit', () => server.kill('SIGTERM'));
  const { port } = await firstJsonLine(server);
  const target = `127.0.0.1:${port}`;
  if (inprocFlag) {
    const proc = spawnNode(
      [
        fileURLToPath(import.meta.url),
        '--inproc-child',
        JSON.stringify({ modes, target, base, concurrency, slices: rounds, sliceMs: seconds * 1000 }),
      ],
      '1',
    );
    const all = await firstJsonLine(proc);
    server.kill('SIGTERM');
    return report(modes, all, rounds);
  }
  const results = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    const order = modes.map((_, i) => modes[(i + r) % modes.length]);
    for (const mode of order) {
      const proc = spawnNode(
        [fileURLToPath(import.meta.url), '--child', JSON.stringify({ mode, target, base, concurrency, seconds })],
        '1',
      );
      results[mode].push(await firstJsonLine(proc));
    }
    const cells = modes.map((m) => {
      const x = results[m][r];
      const heap = x.heapMb === undefined ? '' : ` ${x.heapMb.toFixed(0)} MB`;
      return `${m} ${x.callsPerSec.toFixed(0)}/s ${x.cpuUsPerCall.toFixed(1)} µs${heap}${x.bad ? ` BAD ${x.bad}` : ''}`;
    });
    console.log(`round ${r + 1}: ${cells.join(' | ')}`);
  }
  server.kill('SIGTERM');
  report(modes, results, rounds);
}

function report(modes, results) {
  const ref = modes[0];
  for (const m of modes) {
    const rps = median(results[m].map((x) => x.callsPerSec));
    const cpu = median(results[m].map((x) => x.cpuUsPerCall));
    const rr = median(results[m].map((x, i) => x.callsPerSec / results[ref][i].callsPerSec));
    const cr = median(results[m].map((x, i) => x.cpuUsPerCall / results[ref][i].cpuUsPerCall));
    const bad = results[m].reduce((s, x) => s + x.bad, 0);
    console.log(
      `${m.padEnd(14)} median ${rps.toFixed(0)} calls/s, ${cpu.toFixed(1)} µs CPU/call; ÷ ${ref}: calls/s ${rr.toFixed(3)}, CPU/call ${cr.toFixed(3)}${bad ? `; ${bad} bad` : ''}`,
    );
  }
}

if (process.argv[2] === '--inproc-child') {
  const results = await inproc(JSON.parse(process.argv[3]));
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(0);
} else if (process.argv[2] === '--child') {
  const result = await child(JSON.parse(process.argv[3]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  await main();
}
