import { Container, type ServiceIdentifier } from 'inversify';
import { ConfigurationError } from '../errors/index.js';
import type { Constructor, Provider, Token } from '../metadata/index.js';
import { hasOnInit, hasOnShutdown } from './lifecycle.js';
import { collectModules, type ModuleRecord } from './module-graph.js';
import { type Dependency, type ProviderRecord, toProviderRecord } from './provider-record.js';
import { tokenName } from './token-name.js';

/** Options of {@link AppContainer.build}. */
export interface BuildContainerOptions {
  /** Providers that replace those with the same token anywhere in the app (tests). */
  readonly overrides?: readonly Provider[];
  /** Providers visible to every module (framework services such as metrics). */
  readonly globalProviders?: readonly Provider[];
  /**
   * Builds the value injected by `@InjectClient(service)`; throws a `ConfigurationError` for a
   * service it cannot serve. Without it, any `@InjectClient` fails at boot.
   */
  readonly resolveClient?: (service: string, requester: string) => unknown;
}

const id = <T>(token: Token<T> | symbol): ServiceIdentifier<T> => token as unknown as ServiceIdentifier<T>;

const clientTokens = new Map<string, symbol>();
function clientToken(service: string): symbol {
  let token = clientTokens.get(service);
  if (!token) {
    token = Symbol(`client:${service}`);
    clientTokens.set(service, token);
  }
  return token;
}

/**
 * The app's dependency-injection container: built from the root module by inversify,
 * validated at boot, with lifecycle hooks run in dependency order.
 */
export class AppContainer {
  readonly container: Container = new Container();
  readonly modules: readonly ModuleRecord[];
  private readonly records = new Map<Token, ProviderRecord>();
  private readonly order: Token[] = [];
  private readonly started: unknown[] = [];
  private readonly options: BuildContainerOptions;

  private constructor(root: Constructor, options: BuildContainerOptions) {
    this.options = options;
    this.modules = collectModules(root);
    const globals = (options.globalProviders ?? []).map((p) => toProviderRecord(p, '<framework>'));
    const overrides = new Map((options.overrides ?? []).map((p) => toProviderRecord(p, '<override>')).map((r) => [r.token, r]));
    for (const record of [...globals, ...this.modules.flatMap((m) => m.providers)]) {
      if (!this.records.has(record.token)) this.records.set(record.token, overrides.get(record.token) ?? record);
    }
    for (const [token, record] of overrides) if (!this.records.has(token)) this.records.set(token, record);
    const globalTokens = new Set(globals.map((g) => g.token));
    this.validate(globalTokens);
    this.bind();
  }

  /** Builds and validates the container; throws a `ConfigurationError` naming the broken chain. */
  static build(root: Constructor, options: BuildContainerOptions = {}): AppContainer {
    return new AppContainer(root, options);
  }

  /** Every provider token, dependencies before dependants. */
  get tokens(): readonly Token[] {
    return this.order;
  }

  /** True when something provides `token`. */
  has(token: Token): boolean {
    return this.records.has(token);
  }

  /** The instance for a token (after {@link AppContainer.init} for async factories). */
  get<T>(token: Token<T>): T {
    return this.container.get<T>(id(token));
  }

  /** Creates every singleton in dependency order and runs their `onInit` hooks. */
  async init(): Promise<void> {
    for (const token of this.order) {
      const record = this.records.get(token);
      if (record?.scope !== 'singleton') continue;
      const instance = await this.container.getAsync(id(token));
      if (this.started.includes(instance)) continue;
      if (hasOnInit(instance)) {
        try {
          await instance.onInit();
        } catch (error) {
          await this.shutdown();
          throw new ConfigurationError('KRPC_LIFECYCLE_FAILED', `onInit of ${record.description} failed: ${message(error)}`, {
            className: typeof token === 'function' ? token.name : record.moduleName,
            methodName: 'onInit',
            fix: 'see the cause; onInit runs before the server listens, so the app did not start',
            cause: error,
          });
        }
      }
      this.started.push(instance);
    }
  }

  /** Runs `onShutdown` hooks in reverse dependency order; collects failures instead of stopping. */
  async shutdown(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const instance of [...this.started].reverse()) {
      if (!hasOnShutdown(instance)) continue;
      try {
        await instance.onShutdown();
      } catch (error) {
        errors.push(error);
      }
    }
    this.started.length = 0;
    return errors;
  }

  private visibleFrom(record: ProviderRecord, globals: ReadonlySet<Token>): (token: Token) => boolean {
    const module = this.modules.find((m) => m.cls.name === record.moduleName && m.providers.some((p) => p.token === record.token));
    if (!module) return () => true;
    return (token) =>
      module.visible.has(token) ||
      globals.has(token) ||
      (this.options.overrides ?? []).some((o) => typeof o === 'object' && 'provide' in o && o.provide === token);
  }

  private validate(globals: ReadonlySet<Token>): void {
    const state = new Map<Token, 'visiting' | 'done'>();
    const walk = (token: Token, chain: string[]): void => {
      const status = state.get(token);
      if (status === 'done') return;
      const record = this.records.get(token) as ProviderRecord;
      const here = [...chain, tokenName(token)];
      if (status === 'visiting') {
        throw new ConfigurationError('KRPC_DEPENDENCY_CYCLE', `Dependency cycle: ${here.join(' → ')}`, {
          className: tokenName(token),
          fix: 'break the cycle: move the shared logic into a third provider, or inject a factory instead',
        });
      }
      state.set(token, 'visiting');
      const visible = this.visibleFrom(record, globals);
      for (const dep of record.deps) this.checkDependency(dep, record, here, visible, walk);
      state.set(token, 'done');
      this.order.push(token);
    };
    for (const token of this.records.keys()) walk(token, []);
  }

  private checkDependency(
    dep: Dependency,
    record: ProviderRecord,
    chain: string[],
    visible: (token: Token) => boolean,
    walk: (token: Token, chain: string[]) => void,
  ): void {
    const owner = typeof record.token === 'function' ? record.token.name : tokenName(record.token);
    if (dep.kind === 'client') {
      if (!this.options.resolveClient) {
        throw new ConfigurationError(
          'KRPC_CLIENT_INVALID',
          `${owner} injects a client for ${dep.service}, but clients are not available here`,
          {
            className: owner,
            fix: `declare it in the module's clients: [{ service: '${dep.service}', target: 'host:port' }]`,
          },
        );
      }
      return;
    }
    const provided = this.records.has(dep.token);
    if (provided && visible(dep.token)) {
      walk(dep.token, chain);
      return;
    }
    if (dep.optional) return;
    const missing = tokenName(dep.token);
    const path = [...chain, missing].join(' → ');
    if (provided) {
      const provider = this.records.get(dep.token) as ProviderRecord;
      throw new ConfigurationError(
        'KRPC_UNRESOLVED_DEPENDENCY',
        `Cannot inject ${missing} into ${owner}: module ${provider.moduleName} provides it but ${record.moduleName} cannot see it (${path})`,
        {
          className: owner,
          fix: `add ${missing} to ${provider.moduleName}'s exports and ${provider.moduleName} to ${record.moduleName}'s imports`,
        },
      );
    }
    throw new ConfigurationError('KRPC_UNRESOLVED_DEPENDENCY', `Cannot resolve ${missing} for ${owner}: nothing provides it (${path})`, {
      className: owner,
      fix: `add ${missing} to the providers of module ${record.moduleName} (or of a module it imports, listed in that module's exports)`,
    });
  }

  private bind(): void {
    for (const [token, record] of this.records) {
      const ids = record.deps.map((dep) => {
        if (dep.kind === 'client') {
          const clientId = clientToken(dep.service);
          if (!this.container.isBound(clientId)) {
            const resolve = this.options.resolveClient as NonNullable<BuildContainerOptions['resolveClient']>;
            const requester = typeof token === 'function' ? token.name : tokenName(token);
            const proxy = resolve(dep.service, requester);
            this.container.bind(clientId).toConstantValue(proxy);
          }
          return clientId;
        }
        return dep.optional ? { serviceIdentifier: id(dep.token), optional: true as const } : id(dep.token);
      });
      const binding = this.container.bind(id(token)).toResolvedValue((...deps: unknown[]) => record.create(deps), ids);
      if (record.scope === 'transient') binding.inTransientScope();
      else binding.inSingletonScope();
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
