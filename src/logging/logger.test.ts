import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, LOG_LEVELS, silentLogger } from './logger.js';

/** A destination that keeps what is written to it. */
function capture(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes one JSON line per call: level as a label, an ISO time, the fields, the message', () => {
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const out = capture();
    const log = createLogger({ destination: out.stream, base: { app: 'greeter' } });
    log.info({ port: 50051, services: ['helloworld.Greeter'] }, 'listening');
    log.child({ component: 'runtime' }).warn('child line');
    log.debug('below the level');
    const [first, second, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ level: 'info', app: 'greeter', port: 50051, services: ['helloworld.Greeter'], msg: 'listening' });
    expect(new Date(String(first?.time)).toISOString()).toBe(first?.time);
    expect(second).toMatchObject({ level: 'warn', app: 'greeter', component: 'runtime', msg: 'child line' });
  });

  it('keeps the stack and the cause of an error', () => {
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const out = capture();
    createLogger({ destination: out.stream }).error({ err: new Error('outer', { cause: new Error('inner') }) }, 'failed');
    const err = out.lines()[0]?.err as { type: string; message: string; stack: string };
    expect(err.type).toBe('Error');
    expect(err.stack).toMatch(/^Error: outer\n {4}at .*logger\.test\.ts/);
    expect(JSON.stringify(err)).toMatch(/inner/);
  });

  it('adds pod and namespace from the downward API, and KRPC_LOG_LEVEL wins over the option', () => {
    vi.stubEnv('POD_NAME', 'greeter-7d9f');
    vi.stubEnv('POD_NAMESPACE', 'shop');
    vi.stubEnv('KRPC_LOG_LEVEL', 'warn');
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'debug' });
    log.info('no');
    log.warn('yes');
    expect(out.lines().map(({ time, ...rest }) => rest)).toEqual([{ level: 'warn', pod: 'greeter-7d9f', namespace: 'shop', msg: 'yes' }]);
  });

  it('accepts exactly pino’s levels, each a method, and rejects others naming the variable', () => {
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    for (const level of LOG_LEVELS.filter((l) => l !== 'silent')) {
      const out = capture();
      const log = createLogger({ destination: out.stream, level }) as unknown as Record<string, (m: string) => void>;
      log[level]?.('x');
      expect(out.lines().map((l) => l.level)).toEqual([level]);
    }
    vi.stubEnv('KRPC_LOG_LEVEL', 'verbose');
    expect(() => createLogger()).toThrow(
      /Unknown log level "verbose" \(KRPC_LOG_LEVEL\): use one of trace, debug, info, warn, error, fatal, silent/,
    );
  });

  it('writes nothing at level silent, and silentLogger() never writes', () => {
    vi.stubEnv('KRPC_LOG_PRETTY', 'false');
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'silent' });
    log.fatal('dropped');
    log.child({ a: 1 }).error('dropped');
    silentLogger().fatal('dropped');
    expect(out.text()).toBe('');
  });

  it('writes readable lines to the destination when pretty', async () => {
    vi.stubEnv('KRPC_LOG_PRETTY', 'true');
    const out = capture();
    createLogger({ destination: out.stream }).info({ port: 1 }, 'pretty line');
    await vi.waitFor(() => expect(out.text()).toMatch(/INFO.*pretty line/));
    expect(out.text()).toMatch(/port: 1/);
    expect(() => JSON.parse(out.text().split('\n')[0] ?? '')).toThrow();
  });

  it('loses no line written just before process.exit(), JSON or pretty, into a pipe', async () => {
    const run = promisify(execFile);
    // the built module: a child process runs JavaScript (the test setup builds dist/ when stale)
    const url = new URL('../../dist/src/logging/logger.js', import.meta.url).href;
    const script = `const { createLogger } = await import(${JSON.stringify(url)}); const log = createLogger(); for (let i = 0; i < 2000; i++) log.info({ i }, 'line ' + i); process.exit(0);`;
    for (const pretty of ['false', 'true']) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, KRPC_LOG_PRETTY: pretty, KRPC_LOG_LEVEL: '' },
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(stdout).toMatch(/line 1999/);
      expect(stdout.split('\n').filter((l) => /line \d+/.test(l))).toHaveLength(2000);
    }
  });
});
