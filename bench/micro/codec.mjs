// What proto-loader's object conversion costs per message: HelloRequest decode + HelloReply
// encode with the framework's loader options (keepCase false, longs/enums String, defaults,
// oneofs) and with proto-loader's defaults, and protobufjs encode/decode without the
// toObject/fromObject conversion (a "lean codec"). ns per message, median of rounds. Usage: node bench/micro/codec.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const proto = join(root, 'samples/greeter/proto/helloworld.proto');
const FRAMEWORK = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };
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

const requestBytes = Buffer.from([0x0a, 0x05, ...Buffer.from('world')]);
const rows = [];
for (const [label, options] of [
  ['proto-loader defaults', {}],
  ['framework defaults', FRAMEWORK],
  ['framework, defaults:false', { ...FRAMEWORK, defaults: false }],
]) {
  const pkg = protoLoader.loadSync(proto, options);
  const m = pkg['helloworld.Greeter'].SayHello;
  rows.push([
    `helloworld, ${label}`,
    time(() => m.requestDeserialize(requestBytes)),
    time((i) => m.responseSerialize({ message: `Hello world ${i & 7}` })),
  ]);
}
const root2 = protobuf.loadSync(proto);
const Req = root2.lookupType('helloworld.HelloRequest');
const Rep = root2.lookupType('helloworld.HelloReply');
rows.push([
  'helloworld, protobufjs decode/encode without conversion',
  time(() => Req.decode(requestBytes)),
  time((i) => Rep.encode({ message: `Hello world ${i & 7}` }).finish()),
]);

console.log('ns per message (median of 7 × 300k)   decode request   encode reply');
for (const [label, d, e] of rows) console.log(`${label.padEnd(58)} ${d.toFixed(0).padStart(6)} ${e.toFixed(0).padStart(14)}`);
