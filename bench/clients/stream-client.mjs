// Reads server streams of bench.Streamer/Stream: `streams` concurrent calls of `count` small
// messages each, started again as they finish, for `durationMs` after `warmupMs`. Checks every
// message (seq in order, text contains the name) and counts non-OK statuses.
// Prints one JSON line: { messages, messagesPerSec, streamsDone, nonOk, badMessages }.
// Usage: node bench/clients/stream-client.mjs '{"target":"127.0.0.1:PORT","streams":4,"count":10000}'
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { bench } = grpc.loadPackageDefinition(protoLoader.loadSync(join(root, 'bench/apps/streamer/proto/streamer.proto')));
const { target, streams = 4, count = 10_000, durationMs = 3000, warmupMs = 500 } = JSON.parse(process.argv[2] ?? '{}');
const NAME = 'bench';
const client = new bench.Streamer(target, grpc.credentials.createInsecure());

let measuring = false;
let stop = false;
let messages = 0;
let streamsDone = 0;
let nonOk = 0;
let badMessages = 0;
const codes = {};

function oneStream() {
  return new Promise((resolve) => {
    let expected = 0;
    let cancelled = false;
    const call = client.Stream({ count, name: NAME });
    call.on('data', (chunk) => {
      if ((chunk.seq ?? 0) !== expected || !chunk.message.includes(NAME)) badMessages += measuring ? 1 : 0;
      expected++;
      if (measuring) messages++;
      if (stop && !cancelled) {
        cancelled = true;
        call.cancel();
      }
    });
    call.on('error', (error) => {
      if (error.code !== grpc.status.CANCELLED || !stop) {
        nonOk++;
        codes[error.code] = (codes[error.code] ?? 0) + 1;
      }
      resolve();
    });
    call.on('end', () => {
      if (measuring && !cancelled && expected !== count) badMessages++;
      if (measuring) streamsDone++;
      resolve();
    });
  });
}

async function loop() {
  while (!stop) await oneStream();
}

let startedAt;
setTimeout(() => {
  measuring = true;
  startedAt = performance.now();
  setTimeout(() => {
    stop = true;
  }, durationMs);
}, warmupMs);
await Promise.all(Array.from({ length: streams }, loop));
const elapsedS = (performance.now() - startedAt) / 1000;
client.close();
process.stdout.write(`${JSON.stringify({ messages, messagesPerSec: messages / elapsedS, streamsDone, nonOk, badMessages, codes })}\n`);
process.exit(0);
