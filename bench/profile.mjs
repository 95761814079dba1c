// Profiles one bench server under h2load: starts it with `node --cpu-prof` pinned to core 0,
// drives helloworld.Greeter/SayHello (or bench.Streamer/Stream with `stream`) from core 1,
// stops it and prints the top functions by self time, and by self time summed per package/file.
// Usage: node bench/profile.mjs [krpc|bare|nest|nice|connect|krpcStreamer|bareStreamer] [seconds]
// The .cpuprofile is left in bench/results/tmp/ (open it in Chrome DevTools).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { H2LOAD, h2load, h2loadStream, LOAD_CORE, pinSelf, root, spawnServer } from './lib.mjs';

const kind = process.argv[2] ?? 'krpc';
const seconds = Number(process.argv[3] ?? 6);
const SCRIPTS = {
  krpc: ['bin/krpc-app.js', 'start', 'samples/greeter', '--host', '127.0.0.1', '--port', '0'],
  bare: ['bench/servers/bare-greeter.mjs'],
  nest: ['bench/servers/nest-greeter.mjs', '50777'],
  krpcStreamer: ['bin/krpc-app.js', 'start', 'bench/apps/streamer', '--host', '127.0.0.1', '--port', '0'],
  bareStreamer: ['bench/servers/bare-streamer.mjs'],
  nice: ['bench/servers/nice-greeter.mjs'],
  connect: ['bench/servers/connect-greeter.mjs'],
};
const dir = join(root, 'bench/results/tmp', kind);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
pinSelf(LOAD_CORE);
const server = await spawnServer(['--cpu-prof', `--cpu-prof-dir=${dir}`, ...SCRIPTS[kind]], {
  env: { KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' },
  name: kind,
});
const { port, startedAt: spawnedAt } = server;
const loadStart = performance.now() - spawnedAt + 1000; // skip the first second of load (warm-up)
if (kind.endsWith('Streamer') && H2LOAD) {
  // server-bound, as in the judged head-to-head rounds
  const { messagesPerSec } = await h2loadStream(port, { seconds });
  console.log(`h2load: ${Math.round(messagesPerSec)} messages/s`);
} else if (kind.endsWith('Streamer')) {
  spawnSync(
    process.execPath,
    [
      'bench/clients/stream-client.mjs',
      JSON.stringify({ target: `127.0.0.1:${port}`, streams: 4, count: 10000, durationMs: seconds * 1000, warmupMs: 500 }),
    ],
    { cwd: root, stdio: 'inherit' },
  );
} else {
  const { callsPerSec, p99Ms } = await h2load(port, { seconds });
  console.log(`h2load: ${callsPerSec} calls/s, p99 ${p99Ms} ms`);
}
const loadEnd = performance.now() - spawnedAt;
await server.stop('SIGINT');
await sleep(100);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));

const selfUs = new Map();
const byFile = new Map();
const dt = new Map();
// only the samples taken under load (the profile's clock starts about when the process does)
let at = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at / 1000 < loadStart || at / 1000 > loadEnd) continue;
  dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + delta);
}
let total = 0;
for (const node of profile.nodes) {
  const t = dt.get(node.id) ?? 0;
  total += t;
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  selfUs.set(key, (selfUs.get(key) ?? 0) + t);
  const group = short.includes('node_modules/')
    ? short
        .split('node_modules/')
        .pop()
        .split('/')
        .slice(0, short.includes('node_modules/@') ? 2 : 1)
        .join('/')
    : short.startsWith('node:')
      ? 'node: (core)'
      : short || functionName;
  byFile.set(group, (byFile.get(group) ?? 0) + t);
}
const top = (map, n) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `\n${kind}: ${(total / 1e6).toFixed(1)} s sampled under load; profile ${join(dir, file)}\n\nself time by function:\n${top(selfUs, 40)}`,
);
console.log(`\nself time by package / file:\n${top(byFile, 25)}`);
