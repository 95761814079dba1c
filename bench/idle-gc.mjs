// What one full GC in an idle streaming server does to its next rounds (docs/performance.md,
// "Server streaming"): the bare streamer and the streamer app head-to-head under h2load, each
// started with --expose-gc and a SIGUSR2 handler that runs gc(); after the rounds named in
// IDLE_GC (default "3:bare,6:krpc") the named server gets one full GC while both sit idle.
// Usage: node bench/idle-gc.mjs [rounds=9] [seconds=3]
import { cpuUs, h2loadStream, LOAD_CORE, pinSelf, spawnServer } from './lib.mjs';

const rounds = Number(process.argv[2] ?? 9);
const seconds = Number(process.argv[3] ?? 3);
const plan = (process.env.IDLE_GC ?? '3:bare,6:krpc').split(',').map((entry) => entry.split(':'));
pinSelf(LOAD_CORE);

const gcOnSignal = `--import=data:text/javascript,process.on('SIGUSR2',()=>globalThis.gc())`;
const env = { KRPC_RUNTIME_PORT: '0', KRPC_LOG_PRETTY: 'false' };
const servers = {
  bare: await spawnServer(['--expose-gc', gcOnSignal, 'bench/servers/bare-streamer.mjs'], { env }),
  krpc: await spawnServer(
    ['--expose-gc', gcOnSignal, 'bin/krpc-app.js', 'start', 'bench/apps/streamer', '--host', '127.0.0.1', '--port', '0'],
    { env },
  ),
};
try {
  for (let round = 1; round <= rounds; round++) {
    const before = { krpc: cpuUs(servers.krpc.pid), bare: cpuUs(servers.bare.pid) };
    const [k, b] = await Promise.all([h2loadStream(servers.krpc.port, { seconds }), h2loadStream(servers.bare.port, { seconds })]);
    const perMessage = (name, r) => ((cpuUs(servers[name].pid) - before[name]) / (r.messagesPerSec * (seconds + 1))).toFixed(2);
    console.log(
      `round ${round}: messages/s krpc ÷ bare ${(k.messagesPerSec / b.messagesPerSec).toFixed(3)}; ` +
        `server CPU per message krpc ${perMessage('krpc', k)} µs, bare ${perMessage('bare', b)} µs`,
    );
    for (const [after, name] of plan) {
      if (Number(after) !== round) continue;
      servers[name].child.kill('SIGUSR2');
      console.log(`  one full GC in the idle ${name} streamer`);
    }
  }
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
}
