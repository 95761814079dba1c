// Compares round_robin with the load-aware least_request policy when one of three replicas is
// slow. Three greeter replicas on 127.0.0.2/.3/.4 (one port), each in its own process (as pods
// are); a closed loop of CONCURRENCY workers, ROUNDS alternating rounds of DURATION_MS per
// policy (latencies pooled); prints a table and writes bench/results/balancing-c<CONCURRENCY>.json.
// Run after `npm run build`: node bench/balancing/run.mjs
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import { Module, RpcMethod, RpcService } from 'kubernetes-rpc';
import { LEAST_REQUEST_POLICY, registerLeastRequestBalancer } from 'kubernetes-rpc/kubernetes';
import { silentLogger } from '../../dist/src/logging/index.js';
import { RpcApplication } from '../../dist/src/server/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const FAST_MS = Number(process.env.FAST_MS ?? 2);
const SLOW_MS = Number(process.env.SLOW_MS ?? 40);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const DURATION_MS = Number(process.env.DURATION_MS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WARMUP_MS = 500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function replicaModule(host, delayMs) {
  class Greeter {
    async sayHello() {
      await sleep(delayMs);
      return { message: host };
    }
  }
  RpcMethod()(Greeter.prototype, 'sayHello', Object.getOwnPropertyDescriptor(Greeter.prototype, 'sayHello'));
  RpcService('helloworld.Greeter', { allowUnimplemented: true })(Greeter);
  class AppModule {}
  Module({ protos: ['test/fixtures/protos/helloworld.proto'], services: [Greeter] })(AppModule);
  return AppModule;
}

async function startReplica(host, delayMs, port) {
  const app = await RpcApplication.create(replicaModule(host, delayMs), { root, logger: silentLogger() });
  const bound = await app.listen({ host, port });
  return { app, port: bound.port };
}

async function forkReplicas() {
  const children = [];
  let port = 0;
  for (const [i, host] of HOSTS.entries()) {
    const delay = i === HOSTS.length - 1 ? SLOW_MS : FAST_MS;
    const child = fork(fileURLToPath(import.meta.url), ['--serve', host, String(delay), String(port)], { stdio: 'inherit' });
    port = await new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`replica ${host} exited with ${code}`)));
    });
    children.push(child);
  }
  return { children, port };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(policy, port, Greeter, sink) {
  const target = `ipv4:${HOSTS.map((h) => `${h}:${port}`).join(',')}`;
  const client = new Greeter(target, grpc.credentials.createInsecure(), {
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ [policy]: {} }] }),
  });
  const call = () => new Promise((resolve, reject) => client.sayHello({ name: 'bench' }, (e, r) => (e ? reject(e) : resolve(r.message))));
  await Promise.all(HOSTS.map(() => call())); // connect
  const measureFrom = performance.now() + WARMUP_MS;
  const end = measureFrom + DURATION_MS;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const host = await call();
        if (t0 >= measureFrom) {
          sink.latencies.push(performance.now() - t0);
          sink.perReplica[host] = (sink.perReplica[host] ?? 0) + 1;
        }
      } catch {
        sink.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  client.close();
}

function summarize(policy, sink) {
  const latencies = sink.latencies.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    policy,
    calls: latencies.length,
    throughputPerSec: Math.round(latencies.length / ((ROUNDS * DURATION_MS) / 1000)),
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    slowReplicaShare: round((sink.perReplica[HOSTS[HOSTS.length - 1]] ?? 0) / latencies.length),
    perReplica: sink.perReplica,
    errors: sink.errors,
  };
}

if (process.argv[2] === '--serve') {
  const [host, delay, port] = process.argv.slice(3);
  const { app, port: bound } = await startReplica(host, Number(delay), Number(port));
  process.send({ port: bound });
  process.once('disconnect', async () => {
    await app.close({ timeoutMs: 1000 });
    process.exit(0);
  });
} else {
  await main();
}

async function main() {
  registerLeastRequestBalancer();
  const { children, port } = await forkReplicas();
  const protoLoader = await import('@grpc/proto-loader');
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(join(root, 'test/fixtures/protos/helloworld.proto')));
  const policies = ['round_robin', LEAST_REQUEST_POLICY];
  const sinks = Object.fromEntries(policies.map((p) => [p, { latencies: [], perReplica: {}, errors: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const policy of policies) await measure(policy, port, pkg.helloworld.Greeter, sinks[policy]);
  }
  for (const child of children) child.disconnect();
  report(policies.map((p) => summarize(p, sinks[p])));
}

function report(results) {
  const setup = {
    replicas: HOSTS.length,
    fastMs: FAST_MS,
    slowMs: SLOW_MS,
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    rounds: ROUNDS,
    node: process.version,
  };
  console.log(
    `one of ${HOSTS.length} replicas slow (${SLOW_MS} ms vs ${FAST_MS} ms per call), ${CONCURRENCY} calls in flight, ${ROUNDS} × ${DURATION_MS} ms per policy`,
  );
  console.table(results.map(({ perReplica, ...row }) => row));
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const file = join(root, 'bench', 'results', `balancing-c${CONCURRENCY}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), setup, results }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
