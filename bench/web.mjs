// The web port's bench row: unary SayHello over the Connect protocol (binary and JSON), h2load
// 8×32 over h2c, against @connectrpc/connect-node serving the same greeter by itself
// (bench/servers/connect-greeter.mjs). Interleaved rounds (server order alternating), servers
// pinned to core 0 and h2load to core 1, as bench/ab.mjs does; prints calls/s and server CPU µs
// per call per round, the median krpc ÷ connect ratios and the load average, and writes
// bench/results/web-<time>.json. Not part of `npm run bench`.
// Usage: npm run build && node bench/web.mjs [rounds] [seconds]
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUs, H2LOAD, LOAD_CORE, median, pinSelf, root, run, spawnServer } from './lib.mjs';

const rounds = Number(process.argv[2] ?? 6);
const seconds = Number(process.argv[3] ?? 3);
pinSelf(LOAD_CORE);

const HELLO = Buffer.from([0x0a, 0x05, ...Buffer.from('world')]);
const bodies = {
  binary: { type: 'application/proto', file: join(tmpdir(), `krpc-bench-web-${process.pid}.bin`), bytes: HELLO },
  json: { type: 'application/json', file: join(tmpdir(), `krpc-bench-web-${process.pid}.json`), bytes: Buffer.from('{"name":"world"}') },
};
for (const body of Object.values(bodies)) writeFileSync(body.file, body.bytes);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** h2load against the Connect unary endpoint; calls/s, and the server's CPU µs per call. */
async function load(server, port, body) {
  const cpu = cpuUs(server.pid);
  const out = await run(H2LOAD, [
    '-c',
    '8',
    '-m',
    '32',
    '-D',
    String(seconds),
    '--warm-up-time',
    '1',
    '-d',
    body.file,
    '-H',
    `content-type: ${body.type}`,
    `http://127.0.0.1:${port}/helloworld.Greeter/SayHello`,
  ]);
  const rps = Number(/finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(out)?.[1]);
  const ok = Number(/status codes: (\d+) 2xx/.exec(out)?.[1]);
  const failed = Number(/requests: \d+ total, \d+ started, \d+ done, \d+ succeeded, (\d+) failed/.exec(out)?.[1]);
  if (!(ok > 0) || failed > 0) throw new Error(`h2load against ${port}: ${ok} 2xx, ${failed} failed\n${out}`);
  return { rps, cpuPerCall: (cpuUs(server.pid) - cpu) / (rps * (seconds + 1)) };
}

const webPort = await freePort();
const servers = {
  connect: { server: await spawnServer(['bench/servers/connect-greeter.mjs', '0']), port: 0 },
  krpc: {
    server: await spawnServer(['bin/krpc-app.js', 'start', 'samples/greeter', '--host', '127.0.0.1', '--port', '0'], {
      env: { KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false', KRPC_WEB_PORT: String(webPort) },
    }),
    port: webPort,
  },
};
servers.connect.port = servers.connect.server.port;
const load0 = loadavg()[0];
// warm both (a cold Connect-ES pipeline costs 2-3× per call for its first seconds: bench/NOTES.md)
for (const s of Object.values(servers)) for (const body of Object.values(bodies)) await load(s.server, s.port, body);
const results = [];
for (let r = 0; r < rounds; r++) {
  for (const [workload, body] of Object.entries(bodies)) {
    const order = r % 2 ? ['krpc', 'connect'] : ['connect', 'krpc'];
    const res = {};
    for (const name of order) res[name] = await load(servers[name].server, servers[name].port, body);
    const ratio = res.krpc.rps / res.connect.rps;
    const cpuRatio = res.krpc.cpuPerCall / res.connect.cpuPerCall;
    results.push({
      round: r + 1,
      workload,
      ...Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v])),
      ratio,
      cpuRatio,
      loadavg: loadavg()[0],
    });
    console.log(
      `round ${r + 1} ${workload.padEnd(6)}: connect-node ${Math.round(res.connect.rps)}/s ${Math.round(res.connect.cpuPerCall)} µs | krpc web ${Math.round(res.krpc.rps)}/s ${Math.round(res.krpc.cpuPerCall)} µs | krpc ÷ connect ${ratio.toFixed(3)} (CPU/call ${cpuRatio.toFixed(3)}) load ${loadavg()[0].toFixed(1)}`,
    );
  }
}
const summary = {};
for (const workload of Object.keys(bodies)) {
  const rows = results.filter((x) => x.workload === workload);
  summary[workload] = { callsPerSecRatio: median(rows.map((x) => x.ratio)), cpuPerCallRatio: median(rows.map((x) => x.cpuRatio)) };
  console.log(
    `median ${workload}: calls/s krpc web ÷ connect-node ${summary[workload].callsPerSecRatio.toFixed(3)}, CPU per call ${summary[workload].cpuPerCallRatio.toFixed(3)}`,
  );
}
const file = join(root, 'bench', 'results', `web-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ rounds, seconds, loadavgAtStart: load0, loadavgAtEnd: loadavg()[0], summary, results }, null, 2)}\n`,
);
console.log(`wrote ${file}`);
for (const s of Object.values(servers)) await s.server.stop();
