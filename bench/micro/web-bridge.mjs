// Microbenchmark of what the web port adds per message to what Connect-ES does anyway: the
// bridge between Connect's messages and the gRPC port's objects (docs/web.md), a request
// re-encoded by @bufbuild/protobuf and decoded by proto-loader, a reply encoded by proto-loader
// and decoded by @bufbuild/protobuf. For the greeter's HelloRequest/HelloReply and for
// webtest.Sample (int64s, enum, bytes, Timestamp, Duration, Struct, wrapper, map, oneof; the web
// tests' proto). CPU ns per message pair, median of interleaved rounds. Run after `npm run build`:
//   node bench/micro/web-bridge.mjs [rounds] [pairsPerRound]
import { create, fromJson } from '@bufbuild/protobuf';
import { loadProtos } from '../../dist/src/proto/index.js';
import { registryFromPackageDefinition } from '../../dist/src/web/descriptor-registry.js';
import { messageBridge } from '../../dist/src/web/message-bridge.js';
import { median, root } from '../lib.mjs';

const rounds = Number(process.argv[2] ?? 7);
const perRound = Number(process.argv[3] ?? 50_000);

function caseOf(proto, service, rpc, requestJson) {
  const protos = loadProtos([proto], { root });
  const registry = registryFromPackageDefinition(protos.packageDefinition);
  const method = registry.getService(service).methods.find((m) => m.name === rpc);
  const bridge = messageBridge(method, protos.services.get(service).methods.get(rpc).definition);
  const request = fromJson(method.input, requestJson, { registry });
  const reply = bridge.toHandler(request);
  // the reply the handler would return: for Echo, what it got back (the Sample inside EchoReply)
  const value = rpc === 'Echo' ? { sample: reply, seen: '', caller: '' } : { message: `Hello ${reply.name}` };
  return { bridge, request, value, empty: create(method.input) };
}

const cases = {
  'greeter HelloRequest → HelloReply': caseOf('samples/greeter/proto/helloworld.proto', 'helloworld.Greeter', 'SayHello', {
    name: 'world',
  }),
  'webtest.Sample → EchoReply{Sample}': caseOf('test/web/fixtures/probe-app/probe.proto', 'webtest.Probe', 'Echo', {
    displayName: 'Ada',
    big: '9007199254740993',
    unsignedBig: '18446744073709551615',
    color: 'GREEN',
    blob: 'AAEC',
    at: '2026-12-02T01:00:00.500Z',
    took: '1.500s',
    extra: { a: [1, 'x', null, true] },
    maybe: 'perhaps',
    nums: [1, 2],
    counts: { k: 3 },
    number: 7,
  }),
};

const ns = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, { bridge, request, value }] of Object.entries(cases)) {
    const start = process.cpuUsage();
    for (let i = 0; i < perRound; i++) {
      bridge.toHandler(request);
      bridge.toWire(value);
    }
    const used = process.cpuUsage(start);
    ns[name].push(((used.user + used.system) * 1000) / perRound);
  }
}
for (const [name, values] of Object.entries(ns))
  console.log(`${name}: ${Math.round(median(values))} ns CPU per request + reply bridged (median of ${rounds} rounds of ${perRound})`);
