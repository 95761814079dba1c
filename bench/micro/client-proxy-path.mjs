// Microbenchmark of the client proxy's own per-call cost, without the network: the proxy
// (createProxy, as createClientLayer builds it) over a fake grpc-js client whose
// makeUnaryRequest answers on the next microtask the way grpc-js does (metadata event, then the
// callback, then the status event), vs the same fake called bare. Reports CPU ns per call, the
// median of interleaved rounds, with 256 calls in flight. Run after building dist/:
//   [SCOPED=1] node bench/micro/client-proxy-path.mjs [rounds] [callsPerRound] [distRoot]
import { EventEmitter, setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import grpc from '@grpc/grpc-js';

const rounds = Number(process.argv[2] ?? 9);
const perRound = Number(process.argv[3] ?? 200_000);
const distRoot = process.argv[4] ?? join(import.meta.dirname, '..', '..');
const BATCH = 256;
const dist = (p) => pathToFileURL(join(distRoot, 'dist/src', p)).href;
const { createProxy } = await import(dist('client/client-proxy.js'));
const { loadProtos } = await import(dist('proto/index.js'));
const { runInCallScope } = await import(dist('context/index.js'));

const root = join(import.meta.dirname, '..', '..');
const protos = loadProtos([join(root, 'samples/greeter/proto/helloworld.proto')], { root });
const service = protos.services.get('helloworld.Greeter');
const reply = { message: 'Hello world' };
const trailers = new grpc.Metadata();
const OK = { code: grpc.status.OK, details: 'OK', metadata: trailers };

class FakeCall extends EventEmitter {
  cancel() {}
}

/** A grpc-js Client as far as the proxy uses it. */
const fakeClient = {
  makeUnaryRequest(_path, _ser, _deser, _req, _metadata, _options, callback) {
    const call = new FakeCall();
    queueMicrotask(() => {
      call.emit('metadata', new grpc.Metadata());
      callback(null, reply);
      call.emit('status', OK);
    });
    return call;
  },
};

const settings = (options) => ({ service, target: 'fake:1', targetFrom: 'bench', options, interceptors: [] });
const proxy = (options = {}, interceptors = []) =>
  createProxy({ settings: settings(options), channel: fakeClient, interceptors, observers: [] });
const plain = proxy();
const withDefaults = proxy({ metadata: { 'x-client': 'bench' } });
const intercepted = proxy({}, [(_call, next) => next()]);
const signal = new AbortController().signal;
setMaxListeners(0, signal);
const incoming = new grpc.Metadata();
incoming.set('x-request-id', 'bench-1');
const scope = { deadline: new Date(Date.now() + 3_600_000), signal, metadata: incoming };
const scopedCall = (req) => plain.sayHello(req);

const variants = {
  'bare fake client': (req) =>
    new Promise((resolve, reject) =>
      fakeClient.makeUnaryRequest('/helloworld.Greeter/SayHello', null, null, req, new grpc.Metadata(), {}, (e, r) =>
        e ? reject(e) : resolve(r),
      ),
    ),
  'proxy sayHello': (req) => plain.sayHello(req),
  'proxy + default metadata': (req) => withDefaults.sayHello(req),
  'proxy + 1 interceptor': (req) => intercepted.sayHello(req),
  'proxy .withMeta()': (req) => plain.sayHello.withMeta(req).then((r) => r.message),
};
// The first runInCallScope turns on async hooks for the process (every promise pays after), so the
// scoped variant only runs when asked for, and then every variant is measured with hooks on.
if (process.env.SCOPED) variants['proxy in a call scope'] = (req) => runInCallScope('async', scope, scopedCall, req);

async function runBatch(call) {
  const pending = [];
  for (let i = 0; i < BATCH; i++) pending.push(call({ name: 'world' }));
  for (const r of await Promise.all(pending)) if (r.message !== 'Hello world') throw new Error('bad reply');
}

async function measure(call) {
  const cpu = process.cpuUsage();
  for (let done = 0; done < perRound; done += BATCH) await runBatch(call);
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / perRound;
}

const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const call of Object.values(variants)) await measure(call); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, call] of Object.entries(variants)) results[name].push(await measure(call));
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(results['bare fake client']);
for (const [name, values] of Object.entries(results)) {
  const m = median(values);
  console.log(`${name.padEnd(28)} ${m.toFixed(0).padStart(6)} ns/call  (+${(m - base).toFixed(0)} ns over bare)`);
}
