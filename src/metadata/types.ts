/** Any class that can be constructed. */
export type Constructor<T = unknown> = new (...args: never[]) => T;

/** An abstract or concrete class, usable as an injection token. */
export type AbstractConstructor<T = unknown> = abstract new (...args: never[]) => T;

/** Something a provider is registered under: a class, a string or a symbol. */
export type Token<T = unknown> = AbstractConstructor<T> | string | symbol;

/** The lifetime of a provider: one instance per app (default) or a new one per injection. */
export type Scope = 'singleton' | 'transient';

/** Options of `@RpcService`. */
export interface RpcServiceOptions {
  /**
   * Answer rpcs of the service that have no handler with UNIMPLEMENTED instead of failing at
   * boot. Off by default: a missing handler is usually a typo.
   */
  readonly allowUnimplemented?: boolean;
}

/** What `@RpcService` records. */
export interface ServiceMetadata {
  readonly name: string;
  readonly options: RpcServiceOptions;
}

/** Options of `@RpcMethod`. */
export interface RpcMethodOptions {
  /** The rpc's name in the proto; by default the method name with its first letter upper-cased. */
  readonly name?: string;
}

/** What `@RpcMethod` records for one method. */
export interface MethodMetadata {
  readonly propertyKey: string;
  readonly rpcName: string;
  readonly explicitName: boolean;
}

/** A class provider. */
export interface ClassProvider<T = unknown> {
  readonly provide: Token<T>;
  readonly useClass: Constructor<T>;
  readonly scope?: Scope;
}
/** A value provider. */
export interface ValueProvider<T = unknown> {
  readonly provide: Token<T>;
  readonly useValue: T;
}
/** A factory provider; `inject` lists the tokens passed to the factory. */
export interface FactoryProvider<T = unknown> {
  readonly provide: Token<T>;
  readonly useFactory: (...deps: never[]) => T | Promise<T>;
  readonly inject?: readonly Token[];
  readonly scope?: Scope;
}
/** Anything a module can list in `providers`. */
export type Provider<T = unknown> = Constructor<T> | ClassProvider<T> | ValueProvider<T> | FactoryProvider<T>;

/** A proto file: a path (relative to the app's root directory) or a `file:` URL. */
export type ProtoSource = string | URL;

/** A client a module declares (see the clients guide). */
export interface ClientDeclaration {
  /** Fully-qualified service name, e.g. `helloworld.Greeter`. */
  readonly service: string;
  /** Default target, overridden by `KRPC_TARGET_<SERVICE>`. */
  readonly target?: string;
  /** Extra client options, interpreted by the client layer. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Options of `@Module`. */
export interface ModuleOptions {
  /** Proto files that define the services served and called. */
  readonly protos?: readonly ProtoSource[];
  /** Classes decorated with `@RpcService`. */
  readonly services?: readonly Constructor[];
  /** Injectable classes, values and factories. */
  readonly providers?: readonly Provider[];
  /** Modules whose exported providers this module uses. */
  readonly imports?: readonly Constructor[];
  /** Tokens (or imported modules) that importing modules may inject. */
  readonly exports?: readonly (Token | Constructor)[];
  /** Services this module calls, injected with `@InjectClient`. */
  readonly clients?: readonly (string | ClientDeclaration)[];
}

/** What an `@Inject`-style decorator records for one constructor parameter. */
export type ParamInjection =
  | { readonly kind: 'token'; readonly token: Token; readonly optional: boolean }
  | { readonly kind: 'client'; readonly service: string };

/** An interceptor as recorded by `@UseInterceptors`: a function or an injectable class. */
export type InterceptorRef = Constructor | ((...args: never[]) => unknown);
