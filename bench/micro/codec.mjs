// What encoding and decoding cost per message: proto-loader's functions (with the framework's
// loader options, and with proto-loader's defaults as the bare baseline uses) against the
// framework's lean codec (src/proto/lean-codec.ts), for the greeter's HelloRequest/HelloReply and
// the streaming bench's Chunk. CPU ns per message, median of 7 rounds. Usage: npm run build && node bench/micro/codec.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protoLoader from '@grpc/proto-loader';
import { loadProtos } from '../../dist/src/proto/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = 300_000;

function time(fn) {
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < N; i++) fn(i);
    const u = process.cpuUsage(t);
    runs.push(((u.user + u.system) * 1000) / N);
  }
  return runs.sort((a, b) => a - b)[3];
}

const GREETER = 'samples/greeter/proto/helloworld.proto';
const STREAMER = 'bench/apps/streamer/proto/streamer.proto';
const method = (file, service, rpc, codec) => loadProtos([file], { root, codec }).services.get(service).methods.get(rpc).definition;
const bare = (file, service, rpc) => protoLoader.loadSync(join(root, file))[service][rpc];

const request = Buffer.from([0x0a, 0x05, ...Buffer.from('world')]);
const variants = [
  ['bare grpc-js (proto-loader defaults)', bare(GREETER, 'helloworld.Greeter', 'SayHello'), bare(STREAMER, 'bench.Streamer', 'Stream')],
  [
    "framework options, proto-loader's functions",
    method(GREETER, 'helloworld.Greeter', 'SayHello', 'proto-loader'),
    method(STREAMER, 'bench.Streamer', 'Stream', 'proto-loader'),
  ],
  [
    'framework options, lean codec (default)',
    method(GREETER, 'helloworld.Greeter', 'SayHello', 'lean'),
    method(STREAMER, 'bench.Streamer', 'Stream', 'lean'),
  ],
];
console.log(`${'ns per message (median of 7 × 300k)'.padEnd(46)} decode HelloRequest  encode HelloReply  encode Chunk`);
for (const [label, hello, stream] of variants) {
  const d = time(() => hello.requestDeserialize(request));
  const e = time((i) => hello.responseSerialize({ message: `Hello world ${i & 7}` }));
  const c = time((i) => stream.responseSerialize({ seq: i, message: 'Hello world' }));
  console.log(`${label.padEnd(46)} ${d.toFixed(0).padStart(19)} ${e.toFixed(0).padStart(18)} ${c.toFixed(0).padStart(13)}`);
}
