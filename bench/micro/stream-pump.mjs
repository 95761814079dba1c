// Microbenchmark of the server-streaming write path without the network: the framework's
// pumpReplies draining a user's async generator into a fake grpc-js sink (write() returns false
// every 16 messages and 'drain' follows on the next tick, like an object-mode stream), and a
// function* generator, against a bare loop that writes until write() returns false. CPU ns per message, median of rounds.
// Run after `npm run build`: node bench/micro/stream-pump.mjs [rounds] [messages]
import { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { silentLogger } from '../../dist/src/logging/index.js';
import { ServerCall } from '../../dist/src/server/server-call.js';
import { pumpReplies } from '../../dist/src/server/stream-io.js';

const rounds = Number(process.argv[2] ?? 7);
const total = Number(process.argv[3] ?? 300_000);

class FakeSink extends EventEmitter {
  constructor() {
    super();
    this.metadata = new Metadata();
    this.pending = 0;
    this.count = 0;
  }
  write(message) {
    if (message.seq !== this.count) throw new Error('out of order');
    this.count++;
    if (++this.pending < 16) return true;
    this.pending = 0;
    process.nextTick(() => this.emit('drain'));
    return false;
  }
  getPeer() {
    return '';
  }
  getDeadline() {
    return Number.POSITIVE_INFINITY;
  }
  sendMetadata() {}
}

const info = {
  service: 'bench.Streamer',
  rpcName: 'Stream',
  path: '/bench.Streamer/Stream',
  kind: 'server_stream',
  className: 'S',
  propertyKey: 'stream',
};
const observer = { start: () => true, received() {}, sent() {}, end() {} };
async function* generate(count) {
  for (let seq = 0; seq < count; seq++) yield { seq, message: 'Hello bench' };
}
function* generateSync(count) {
  for (let seq = 0; seq < count; seq++) yield { seq, message: 'Hello bench' };
}

const variants = {
  'bare write loop': (sink) =>
    new Promise((resolve) => {
      let seq = 0;
      const pump = () => {
        while (seq < total) {
          const ok = sink.write({ seq: seq++, message: 'Hello bench' });
          if (!ok) {
            sink.once('drain', pump);
            return;
          }
        }
        resolve();
      };
      pump();
    }),
  'pumpReplies(async generator)': (sink) => pumpReplies(generate(total), sink, serverCall(sink), observer),
  'pumpReplies(sync generator)': (sink) => pumpReplies(generateSync(total), sink, serverCall(sink), observer),
};

function serverCall(sink) {
  const binding = { info, handler: () => undefined, interceptors: [], observer, logger: silentLogger(), active: new Set(), scope: 'sync' };
  return new ServerCall(binding, sink);
}

async function measure(run) {
  const sink = new FakeSink();
  const cpu = process.cpuUsage();
  await run(sink);
  const used = process.cpuUsage(cpu);
  if (sink.count !== total) throw new Error(`wrote ${sink.count}`);
  return ((used.user + used.system) * 1000) / total;
}

const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const run of Object.values(variants)) await measure(run);
for (let r = 0; r < rounds; r++) for (const [name, run] of Object.entries(variants)) results[name].push(await measure(run));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const [name, values] of Object.entries(results)) console.log(`${name.padEnd(32)} ${median(values).toFixed(0).padStart(6)} ns/message`);
