// The callers of issue 16: N loops calling helloworld.Greeter/SayHello through one grpc-js
// channel, each call with its own deadline (1 s) and x-request-id, paced to a total rate (a
// caller that falls behind does not burst to catch up), every call recorded: when it started
// and ended, its status code, and the replica that answered (parsed from the reply,
// `... from <replica>`). `startLoad` runs them in this process; `startLoadProcess` in a child of
// its own, so that the harness's own work never delays a call.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { ROOT, track } from './children.mjs';
import { now, waitFor, withTimeout } from './wait.mjs';

let Greeter;
function greeterClass() {
  if (!Greeter) {
    const definition = protoLoader.loadSync(join(ROOT, 'samples/greeter/proto/helloworld.proto'));
    Greeter = grpc.loadPackageDefinition(definition).helloworld.Greeter;
  }
  return Greeter;
}

/**
 * @typedef {object} LoadOptions
 * @property {string} target  what the callers call (the relay's address)
 * @property {number} [callers]  concurrent callers (default 8)
 * @property {number} [deadlineMs]  per call (default 1000)
 * @property {number} [rate]  calls/s in all, 0 for as fast as they answer (default 1000)
 * @property {string} [idPrefix]  x-request-id prefix
 * @property {Record<string, unknown>} [channelOptions]
 * @property {{ replicas?: string[], timeoutMs?: number }} [warmUp]  call until every replica
 *   listed has answered (or just one call succeeded), before the recorded calls start
 */

/**
 * Every call, column by column: `start`/`end` (ms, wall clock), `code` (grpc status),
 * `replica` (index into `replicas`, -1 for none), `id` (x-request-id).
 * @typedef {{ start: number[], end: number[], code: number[], replica: number[], replicas: string[], id: string[], details: Record<string, string> }} LoadRecords
 */

const REPLICA = / from (\S+)$/;

/**
 * Starts the callers; `stop()` lets each finish its call and resolves with the records.
 * @param {LoadOptions} options
 */
export async function startLoad(options) {
  const { target, callers = 8, deadlineMs = 1000, rate = 1000, idPrefix = 'fb', channelOptions = {}, warmUp } = options;
  const Client = greeterClass();
  const client = new Client(target, grpc.credentials.createInsecure(), channelOptions);
  const records = { start: [], end: [], code: [], replica: [], replicas: [], id: [], details: {} };
  const replicaIndex = new Map();
  const call = (id) =>
    new Promise((resolve) => {
      const metadata = new grpc.Metadata();
      metadata.set('x-request-id', id);
      client.sayHello({ name: 'fault-bench' }, metadata, { deadline: Date.now() + deadlineMs }, (error, reply) => {
        if (error) resolve({ code: error.code, replica: undefined, details: error.details });
        else resolve({ code: 0, replica: REPLICA.exec(reply.message)?.[1] });
      });
    });

  if (warmUp) {
    const seen = new Set();
    const want = warmUp.replicas ?? [];
    let n = 0;
    // a resolver still listing, a channel still connecting: call until everyone has answered
    await waitFor(
      async () => {
        const r = await call(`${idPrefix}-warm-${n++}`);
        if (r.code === 0) seen.add(r.replica);
        return seen.size > 0 && want.every((x) => seen.has(x));
      },
      { what: `every replica (${want.join(', ')}) to answer through ${target}`, timeoutMs: warmUp.timeoutMs ?? 15_000, intervalMs: 5 },
    );
  }

  let running = true;
  let seq = 0;
  const interval = rate > 0 ? (callers * 1000) / rate : 0;
  const loop = async (index) => {
    let next = performance.now() + (interval * index) / callers;
    while (running) {
      const wait = next - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!running) break;
      const id = `${idPrefix}-${seq++}`;
      const start = now();
      const r = await call(id);
      const end = now();
      let replica = -1;
      if (r.replica !== undefined) {
        replica = replicaIndex.get(r.replica) ?? -1;
        if (replica < 0) {
          replica = records.replicas.push(r.replica) - 1;
          replicaIndex.set(r.replica, replica);
        }
      }
      records.start.push(start);
      records.end.push(end);
      records.code.push(r.code);
      records.replica.push(replica);
      records.id.push(id);
      if (r.code !== 0) {
        const key = `${r.code}: ${String(r.details).replace(/\d+(\.\d+)?/g, 'N')}`.slice(0, 200);
        records.details[key] = (records.details[key] ?? 0) + 1;
      }
      next = Math.max(next + interval, performance.now());
    }
  };
  const loops = Array.from({ length: callers }, (_, i) => loop(i));
  const startedAt = now();
  return {
    startedAt,
    records,
    async stop() {
      running = false;
      await Promise.all(loops);
      client.close();
      return records;
    },
  };
}

const SELF = fileURLToPath(import.meta.url);

/**
 * `startLoad` in a child process; `stop()` resolves with its records.
 * @param {LoadOptions} options
 */
export async function startLoadProcess(options) {
  const child = track(fork(SELF, ['--load-child'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.type === 'error') reject(new Error(`load generator: ${m.message}`));
        else if (m.type === type) resolve(m);
        else return;
        child.off('message', onMessage);
      };
      child.on('message', onMessage);
      exited.then((code) => reject(new Error(`load generator exited (${code})`)));
    });
  const started = next('started');
  child.send({ type: 'start', options });
  let startedAt;
  try {
    ({ startedAt } = await withTimeout(started, (options.warmUp?.timeoutMs ?? 15_000) + 10_000, 'the load generator to start'));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let stopped;
  const stop = async () => {
    const done = next('records');
    child.send({ type: 'stop' });
    const { records } = await withTimeout(done, (options.deadlineMs ?? 1000) + 20_000, 'the load generator to stop');
    child.disconnect();
    return records;
  };
  return {
    startedAt,
    pid: child.pid,
    /** Stops the callers (once; later calls get the same records). */
    stop() {
      stopped ??= stop();
      return stopped;
    },
  };
}

if (process.argv[2] === '--load-child' && process.send) {
  let load;
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m) => {
    try {
      if (m.type === 'start') {
        load = await startLoad(m.options);
        process.send({ type: 'started', startedAt: load.startedAt });
      } else if (m.type === 'stop') {
        process.send({ type: 'records', records: await load.stop() });
      }
    } catch (error) {
      process.send({ type: 'error', message: error.message });
    }
  });
}

/**
 * One SayHello on a channel of its own: its status code and how long it took (ms).
 * @param {string} target
 * @param {{ deadlineMs?: number }} [options]
 * @returns {Promise<{ code: number, ms: number }>}
 */
export function callOnce(target, { deadlineMs = 1000 } = {}) {
  const client = new (greeterClass())(target, grpc.credentials.createInsecure());
  const started = performance.now();
  return new Promise((resolve) => {
    client.sayHello({ name: 'fault-bench' }, { deadline: Date.now() + deadlineMs }, (error) => {
      client.close();
      resolve({ code: error ? error.code : 0, ms: performance.now() - started });
    });
  });
}
