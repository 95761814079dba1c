import { describe, expect, it } from 'vitest';
import { Inject, Injectable, Module } from '../../src/decorators/index.js';
import { AppContainer, type OnInit, type OnShutdown } from '../../src/di/index.js';
import { ConfigurationError } from '../../src/errors/index.js';

describe('providers and scopes', () => {
  it('injects by type and by token, with value, factory and class providers', async () => {
    @Injectable()
    class Config {
      readonly url = 'db://x';
    }
    @Injectable()
    class Repo {
      constructor(
        readonly config: Config,
        @Inject('PREFIX') readonly prefix: string,
        @Inject('CONN') readonly conn: { url: string },
      ) {}
    }
    abstract class Clock {
      abstract now(): number;
    }
    class FixedClock extends Clock {
      now() {
        return 42;
      }
    }
    @Module({
      providers: [
        Config,
        Repo,
        { provide: 'PREFIX', useValue: 'Hi' },
        { provide: 'CONN', useFactory: async (c: Config) => ({ url: `${c.url}/pool` }), inject: [Config] },
        { provide: Clock, useClass: FixedClock },
      ],
    })
    class M {}
    const c = AppContainer.build(M);
    await c.init();
    const repo = c.get(Repo);
    expect(repo.config).toBe(c.get(Config));
    expect(repo.prefix).toBe('Hi');
    expect(repo.conn).toEqual({ url: 'db://x/pool' });
    expect(c.get(Clock).now()).toBe(42);
  });

  it('makes singletons by default and a new instance per injection for transient', async () => {
    @Injectable({ scope: 'transient' })
    class Temp {}
    @Injectable()
    class Single {}
    @Injectable()
    class A {
      constructor(
        readonly t: Temp,
        readonly s: Single,
      ) {}
    }
    @Injectable()
    class B {
      constructor(
        readonly t: Temp,
        readonly s: Single,
      ) {}
    }
    @Module({ providers: [Temp, Single, A, B] })
    class M {}
    const c = AppContainer.build(M);
    await c.init();
    expect(c.get(A).s).toBe(c.get(B).s);
    expect(c.get(A).t).not.toBe(c.get(B).t);
  });

  it('runs onInit in dependency order and onShutdown in reverse', async () => {
    const log: string[] = [];
    @Injectable()
    class Db implements OnInit, OnShutdown {
      async onInit() {
        await new Promise((r) => setImmediate(r));
        log.push('init Db');
      }
      onShutdown() {
        log.push('shutdown Db');
      }
    }
    @Injectable()
    class Cache implements OnInit, OnShutdown {
      constructor(readonly db: Db) {}
      onInit() {
        log.push('init Cache');
      }
      async onShutdown() {
        log.push('shutdown Cache');
      }
    }
    @Injectable()
    class Api implements OnInit, OnShutdown {
      constructor(
        readonly cache: Cache,
        readonly db: Db,
      ) {}
      onInit() {
        log.push('init Api');
      }
      onShutdown() {
        log.push('shutdown Api');
      }
    }
    @Module({ providers: [Api, Cache, Db] })
    class M {}
    const c = AppContainer.build(M);
    await c.init();
    expect(log).toEqual(['init Db', 'init Cache', 'init Api']);
    await c.shutdown();
    expect(log.slice(3)).toEqual(['shutdown Api', 'shutdown Cache', 'shutdown Db']);
  });

  it('turns a failing onInit into a boot error naming the class, and shuts down what already started', async () => {
    const log: string[] = [];
    @Injectable()
    class Pool {
      onInit() {
        log.push('init Pool');
      }
      onShutdown() {
        log.push('shutdown Pool');
      }
    }
    @Injectable()
    class Broken {
      constructor(readonly pool: Pool) {}
      onInit() {
        throw new Error('cannot reach db');
      }
    }
    @Module({ providers: [Broken, Pool] })
    class M {}
    const c = AppContainer.build(M);
    const err = await c.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ConfigurationError.is(err) && err.code).toBe('KRPC_LIFECYCLE_FAILED');
    expect((err as Error).message).toContain('class Broken');
    expect((err as Error).message).toContain('cannot reach db');
    expect(log).toEqual(['init Pool', 'shutdown Pool']);
  });

  it('lets a module inject only what it provides or what its imports export', () => {
    @Injectable()
    class Shared {}
    @Injectable()
    class Private {}
    @Module({ providers: [Shared, Private], exports: [Shared] })
    class Lib {}
    @Injectable()
    class UsesShared {
      constructor(readonly s: Shared) {}
    }
    @Module({ imports: [Lib], providers: [UsesShared] })
    class Ok {}
    expect(() => AppContainer.build(Ok)).not.toThrow();

    @Injectable()
    class UsesPrivate {
      constructor(readonly p: Private) {}
    }
    @Module({ imports: [Lib], providers: [UsesPrivate] })
    class Bad {}
    expect(() => AppContainer.build(Bad)).toThrow(/module Lib provides it but Bad cannot see it[\s\S]*add Private to Lib's exports/);
  });

  it('replaces providers with overrides (for tests)', async () => {
    @Injectable()
    class Mailer {
      send() {
        return 'real';
      }
    }
    @Module({ providers: [Mailer] })
    class M {}
    const c = AppContainer.build(M, { overrides: [{ provide: Mailer, useValue: { send: () => 'fake' } }] });
    await c.init();
    expect(c.get(Mailer).send()).toBe('fake');
  });

  it('refuses a class without type metadata, saying how to fix it', () => {
    class NotDecorated {
      constructor(readonly x: unknown) {}
    }
    @Module({ providers: [NotDecorated] })
    class M {}
    expect(() => AppContainer.build(M)).toThrow(/NotDecorated has constructor parameters but no type metadata[\s\S]*@Injectable\(\)/);
  });
});
