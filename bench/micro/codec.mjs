// What encoding and decoding cost per message: proto-loader's functions (with the framework's
// loader options, and with proto-loader's defaults as the bare baseline uses) against the
// framework's lean codec (src/proto/lean-codec.ts), for the greeter's HelloRequest/HelloReply,
// the streaming bench's Chunk and test/fixtures/protos/codec.proto's Everything (every field shape
// the lean codec covers). CPU ns per message, median of 7 rounds.
// Usage: npm run build && node bench/micro/codec.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protoLoader from '@grpc/proto-loader';
import { loadProtos } from '../../dist/src/proto/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = 300_000;

function time(fn, n = N) {
  const runs = [];
  for (let r = 0; r < 7; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) fn(i);
    const u = process.cpuUsage(t);
    runs.push(((u.user + u.system) * 1000) / n);
  }
  return runs.sort((a, b) => a - b)[3];
}

const GREETER = 'samples/greeter/proto/helloworld.proto';
const STREAMER = 'bench/apps/streamer/proto/streamer.proto';
const CODEC = 'test/fixtures/protos/codec.proto';
const method = (file, service, rpc, codec) => loadProtos([file], { root, codec }).services.get(service).methods.get(rpc).definition;
const bare = (file, service, rpc) => protoLoader.loadSync(join(root, file))[service][rpc];

const EVERYTHING = {
  displayName: 'grüße, 🙂 and plain ASCII',
  count: -42,
  size: 4_000_000_000,
  enabled: true,
  ratio: 0.1,
  scale: 1.5,
  checksum: 0xdeadbeef,
  shade: 'DARK',
  origin: { x: -3, y: 7 },
  path: [
    { x: 1, y: 2 },
    { x: -1, y: 0 },
  ],
  samples: [0, -1, 300, 2 ** 31 - 1],
  tags: ['a', '', 'ü'.repeat(50)],
  shades: ['LIGHT', 'DARK', 'SHADE_UNSPECIFIED'],
};

const request = Buffer.from([0x0a, 0x05, ...Buffer.from('world')]);
const variants = [
  ['bare grpc-js (proto-loader defaults)', (f, s, r) => bare(f, s, r)],
  ["framework options, proto-loader's functions", (f, s, r) => method(f, s, r, 'proto-loader')],
  ['framework options, lean codec (default)', (f, s, r) => method(f, s, r, 'lean')],
];
const everythingBytes = method(CODEC, 'test.codec.Codec', 'Echo', 'proto-loader').requestSerialize(EVERYTHING);
console.log(
  `${'ns per message (median of 7 × 300k)'.padEnd(46)} decode HelloRequest  encode HelloReply  encode Chunk  decode Everything  encode Everything`,
);
for (const [label, get] of variants) {
  const hello = get(GREETER, 'helloworld.Greeter', 'SayHello');
  const stream = get(STREAMER, 'bench.Streamer', 'Stream');
  const everything = get(CODEC, 'test.codec.Codec', 'Echo');
  const d = time(() => hello.requestDeserialize(request));
  const e = time((i) => hello.responseSerialize({ message: `Hello world ${i & 7}` }));
  const c = time((i) => stream.responseSerialize({ seq: i, message: 'Hello world' }));
  const de = time(() => everything.requestDeserialize(everythingBytes), N / 5);
  const ee = time(() => everything.responseSerialize(EVERYTHING), N / 5);
  console.log(
    `${label.padEnd(46)} ${d.toFixed(0).padStart(19)} ${e.toFixed(0).padStart(18)} ${c.toFixed(0).padStart(13)} ${de.toFixed(0).padStart(18)} ${ee.toFixed(0).padStart(18)}`,
  );
}
