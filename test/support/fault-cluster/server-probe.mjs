// Preloaded (`node --import`) into every server the fault harness starts: the krpc-app replicas
// and relays as well as the bare grpc-js servers. It changes nothing the server does; it
//  - records the `x-request-id` of every HTTP/2 stream the process accepts, when it accepts it
//    (FAULT_BENCH_RECORD_ARRIVALS=1): which calls reached which replica, retries and hedges
//    included, and — read after SIGCONT — which ones were sent to it while it was frozen;
//  - holds the injected fault (FAULT_BENCH_FAULT, JSON, changed at run time over IPC) that the
//    fault-greeter fixture and the bare fault greeter read from `globalThis.__faultBench`;
//  - answers `stats` (RSS, heap, open fds, counters) over IPC;
//  - kills the process when the harness goes away (the IPC channel disconnects), so that a
//    crashed or killed harness leaves no servers behind.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const parseFault = (text) => {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
};

const state = {
  fault: parseFault(process.env.FAULT_BENCH_FAULT),
  arrivals: { ids: [], times: [], other: 0 },
  counters: {},
};
globalThis.__faultBench = state;

if (process.env.FAULT_BENCH_RECORD_ARRIVALS === '1') {
  const http2 = require('node:http2');
  const record = (_stream, headers) => {
    const id = headers['x-request-id'];
    if (typeof id === 'string') {
      state.arrivals.ids.push(id);
      state.arrivals.times.push(performance.timeOrigin + performance.now());
    } else {
      state.arrivals.other++;
    }
  };
  for (const name of ['createServer', 'createSecureServer']) {
    const original = http2[name];
    http2[name] = function createRecordingServer(...args) {
      const server = original.apply(this, args);
      server.on('stream', record);
      return server;
    };
  }
}

const fds = () => {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
};

const answers = {
  fault: (message) => {
    state.fault = message.fault ?? {};
    return {};
  },
  arrivals: () => state.arrivals,
  stats: () => {
    const memory = process.memoryUsage();
    return { pid: process.pid, rss: memory.rss, heapUsed: memory.heapUsed, fds: fds(), counters: state.counters };
  },
};

if (typeof process.send === 'function') {
  process.on('message', (message) => {
    const answer = answers[message?.type];
    const reply = answer ? answer(message) : { error: `unknown request ${message?.type}` };
    process.send({ ...reply, id: message.id });
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  process.channel?.unref(); // the channel must not keep a draining server alive
}
