import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type Logger } from './logger.js';

/** A destination that keeps each line written to it, parsed. */
function capture(): { stream: Writable; lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return { stream, raw, lines: [] };
}

function parsed(raw: string[]): Record<string, unknown>[] {
  return raw.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** pino configured the way the framework configured it before it wrote its own lines. */
function pinoLogger(destination: Writable, base?: Record<string, unknown>): Logger {
  return pino(
    { level: 'info', base, formatters: { level: (label) => ({ level: label }) }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}

const failure = Object.assign(new Error('upstream failed', { cause: new TypeError('socket hang up') }), { code: 'E_UPSTREAM' });
const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;

/** The same calls made on both loggers. */
function sameCalls(log: Logger): void {
  log.info('plain message with "quotes" and a \n newline');
  log.info(
    { port: 50051, services: ['helloworld.Greeter'], nested: { a: [1, { b: null }] }, gone: undefined, at: new Date(0) },
    'listening',
  );
  log.error({ err: failure, method: '/helloworld.Greeter/SayHello' }, 'Unexpected error in a handler');
  log.child({ component: 'grpc-js' }).warn({ big: 12n }, 'child line');
  log.child({ component: 'resolver' }).child({ target: 'kubernetes:///greeter' }).error(failure);
  log.warn({ attempt: 2 });
  log.info({ circular }, 'circular fields');
  log.debug('below the level');
}

describe('createLogger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes the same JSON lines as pino configured the same way (apart from the time)', () => {
    const ours = capture();
    const theirs = capture();
    vi.stubEnv('KRPC_LOG_LEVEL', '');
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    sameCalls(createLogger({ destination: ours.stream, base: { pod: 'greeter-1' } }));
    sameCalls(pinoLogger(theirs.stream, { pod: 'greeter-1' }));
    const strip = (lines: Record<string, unknown>[]) => lines.map(({ time, ...rest }) => rest);
    const mine = parsed(ours.raw);
    expect(mine).toHaveLength(7);
    expect(strip(mine)).toEqual(strip(parsed(theirs.raw)));
    // Key order too: what a reader of raw lines sees first.
    expect(ours.raw.map((l) => Object.keys(JSON.parse(l)))).toEqual(theirs.raw.map((l) => Object.keys(JSON.parse(l))));
    for (const line of mine) expect(new Date(String(line.time)).toISOString()).toBe(line.time);
  });

  it('keeps the stack and cause of an error, one line per call', () => {
    const out = capture();
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const log = createLogger({ destination: out.stream });
    log.error({ err: new Error('outer', { cause: new Error('inner') }) }, 'failed');
    expect(out.raw).toHaveLength(1);
    const [line] = parsed(out.raw);
    const err = line?.err as { type: string; message: string; stack: string };
    expect(err.type).toBe('Error');
    expect(err.message).toBe('outer: inner');
    expect(err.stack).toMatch(/^Error: outer\n {4}at .*logger\.test\.ts/);
    expect(err.stack).toMatch(/\ncaused by: Error: inner\n/);
  });

  it('adds pod and namespace from the downward API, and honours KRPC_LOG_LEVEL over the option', () => {
    const out = capture();
    vi.stubEnv('POD_NAME', 'greeter-7d9f');
    vi.stubEnv('POD_NAMESPACE', 'shop');
    vi.stubEnv('KRPC_LOG_LEVEL', 'warn');
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const log = createLogger({ destination: out.stream, level: 'debug' });
    log.debug('no');
    log.info('no');
    log.warn('yes');
    log.error({ n: 1 }, 'yes too');
    expect(parsed(out.raw).map(({ time, ...rest }) => rest)).toEqual([
      { level: 'warn', pod: 'greeter-7d9f', namespace: 'shop', msg: 'yes' },
      { level: 'error', pod: 'greeter-7d9f', namespace: 'shop', n: 1, msg: 'yes too' },
    ]);
  });

  it('rejects an unknown level, naming the variable and the levels', () => {
    vi.stubEnv('KRPC_LOG_LEVEL', 'verbose');
    expect(() => createLogger()).toThrow(/Unknown log level "verbose" \(KRPC_LOG_LEVEL\): use one of trace, debug, info/);
  });

  it('writes nothing at level silent', () => {
    const out = capture();
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const log = createLogger({ destination: out.stream, level: 'silent' });
    log.error({ err: new Error('x') }, 'dropped');
    log.child({ a: 1 }).error('dropped');
    expect(out.raw).toEqual([]);
  });
});
