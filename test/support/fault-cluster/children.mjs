// Child processes of the fault harness: spawned with an IPC channel and the server probe
// preloaded, their JSON log lines parsed, and every one of them killed when the harness exits —
// normally, on an uncaught error, or on Ctrl-C — even while frozen (SIGSTOP).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './wait.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const KRPC_APP = join(ROOT, 'bin', 'krpc-app.js');
export const SERVER_PROBE = join(ROOT, 'test', 'support', 'fault-cluster', 'server-probe.mjs');

/** Children still running, killed on exit. */
const live = new Set();
let handlersInstalled = false;

function killNow(child) {
  try {
    child.kill('SIGCONT'); // a stopped process keeps SIGTERM pending; SIGKILL works either way
    child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills (SIGKILL) every child the harness started that is still running. */
export function killAllChildren() {
  for (const child of live) killNow(child);
  live.clear();
}

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Registers a child started elsewhere (h2load, a forked helper) to be killed with the others. */
export function track(child) {
  installExitHandlers();
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

const KEEP_LINES = 200;

/**
 * A child process with its output kept (the last lines) and its JSON log lines parsed.
 * @typedef {object} Child
 * @property {import('node:child_process').ChildProcess} process
 * @property {number} pid
 * @property {string} name
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {() => boolean} running
 * @property {(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>} waitForLog
 * @property {(message: Record<string, unknown>, timeoutMs?: number) => Promise<Record<string, unknown>>} request
 * @property {(signal?: NodeJS.Signals) => void} signal
 * @property {(timeoutMs?: number) => Promise<void>} stop
 * @property {() => string} output
 */

/**
 * Spawns `node [--import server-probe] ...args` with JSON logs and an IPC channel.
 * @param {string[]} args
 * @param {{ name: string, env?: Record<string, string>, probe?: boolean, nodeArgs?: string[] }} options
 * @returns {Child}
 */
export function spawnNode(args, { name, env = {}, probe = true, nodeArgs = [] }) {
  const argv = [...(probe ? ['--import', SERVER_PROBE] : []), ...nodeArgs, ...args];
  const child = track(
    spawn(process.execPath, argv, {
      cwd: ROOT,
      env: { ...process.env, KRPC_LOG_PRETTY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  child.on('error', () => {}); // IPC to a dead child; the caller sees `exited`
  const lines = [];
  const entries = [];
  const waiters = new Set();
  const keep = (stream, line) => {
    lines.push(`${stream}: ${line}`);
    if (lines.length > KEEP_LINES) lines.shift();
  };
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      keep('stdout', line);
      if (!line.startsWith('{')) continue;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      entries.push(entry);
      if (entries.length > KEEP_LINES) entries.shift();
      for (const waiter of waiters) waiter(entry);
    }
  });
  let errBuffered = '';
  child.stderr.on('data', (chunk) => {
    errBuffered += chunk;
    for (let nl = errBuffered.indexOf('\n'); nl >= 0; nl = errBuffered.indexOf('\n')) {
      keep('stderr', errBuffered.slice(0, nl));
      errBuffered = errBuffered.slice(nl + 1);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const output = () => lines.join('\n');
  const running = () => child.exitCode === null && child.signalCode === null;

  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const settle = pending.get(message?.id);
    if (settle) {
      pending.delete(message.id);
      settle(message);
    }
  });
  child.once('exit', () => {
    for (const settle of pending.values()) settle({ error: `${name} exited` });
    pending.clear();
  });

  return {
    process: child,
    pid: child.pid,
    name,
    exited,
    running,
    output,
    waitForLog(predicate, timeoutMs = 20_000) {
      const seen = entries.find(predicate);
      if (seen) return Promise.resolve(seen);
      let waiter;
      const found = new Promise((resolve, reject) => {
        waiter = (entry) => predicate(entry) && resolve(entry);
        waiters.add(waiter);
        exited.then(({ code, signal }) =>
          reject(new Error(`${name} exited (${code ?? signal}) before the expected log line:\n${output()}`)),
        );
      });
      return withTimeout(found, timeoutMs, `${name}'s log line\n${output()}`).finally(() => waiters.delete(waiter));
    },
    request(message, timeoutMs = 10_000) {
      if (!running()) return Promise.reject(new Error(`${name} is not running`));
      const id = ++nextId;
      const answer = new Promise((resolve, reject) => {
        pending.set(id, (reply) => (reply.error ? reject(new Error(`${name}: ${reply.error}`)) : resolve(reply)));
      });
      child.send({ ...message, id });
      return withTimeout(answer, timeoutMs, `${name} to answer ${message.type}`).finally(() => pending.delete(id));
    },
    signal(signal = 'SIGTERM') {
      if (running()) child.kill(signal);
    },
    /** SIGTERM (after SIGCONT), then SIGKILL if it has not exited after `timeoutMs`. */
    async stop(timeoutMs = 5000) {
      if (!running()) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      try {
        await withTimeout(exited, timeoutMs, `${name} to exit`);
      } catch {
        killNow(child);
        await exited;
      }
    },
  };
}

/**
 * The port (and runtime port) a server reports once it listens: krpc-app's `krpc-app listening`
 * log line, or a bare server's `{"port": N}` line.
 * @param {Child} child
 * @param {number} [timeoutMs]
 * @returns {Promise<{ port: number, runtimePort: number | undefined }>}
 */
export async function listeningPort(child, timeoutMs = 20_000) {
  const entry = await child.waitForLog(
    (e) => typeof e.port === 'number' && (e.msg === undefined || /krpc-app listening/.test(String(e.msg))),
    timeoutMs,
  );
  return { port: entry.port, runtimePort: typeof entry.runtimePort === 'number' ? entry.runtimePort : undefined };
}
