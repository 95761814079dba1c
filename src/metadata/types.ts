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

/**
 * A gRPC retry policy (the service config's `retryPolicy`). Retry only idempotent methods: a
 * retried call may run twice on the server.
 */
export interface RetryPolicyOptions {
  /** Attempts in all, including the first (2..5). */
  readonly maxAttempts: number;
  /** Backoff before the first retry (default 100 ms). */
  readonly initialBackoffMs?: number;
  /** Upper bound of the backoff (default 2 000 ms). */
  readonly maxBackoffMs?: number;
  /** Growth of the backoff per attempt (default 2). */
  readonly backoffMultiplier?: number;
  /** Status codes that are retried, by name or number (default `['UNAVAILABLE']`). */
  readonly retryableCodes?: readonly (string | number)[];
}

/** Per-rpc settings of a client, keyed by the rpc's proto name (`SayHello`). */
export interface ClientMethodOptions {
  /** Retry policy of this rpc; `false` turns off a client-wide one. */
  readonly retry?: RetryPolicyOptions | false;
  /** Default timeout of this rpc. */
  readonly timeoutMs?: number;
  /** Wait for a connection instead of failing fast with UNAVAILABLE. */
  readonly waitForReady?: boolean;
  /** Safe to run twice: retried on UNAVAILABLE by default (the proto's `idempotency_level` says the same). */
  readonly retryable?: boolean;
  /** Hedging policy of this rpc: copies sent before the first answers (not with `retry`). */
  readonly hedging?: HedgingPolicyOptions;
}

/** A gRPC hedging policy (the service config's `hedgingPolicy`): for idempotent rpcs with a slow tail. */
export interface HedgingPolicyOptions {
  /** Copies in all, including the first (2..5). */
  readonly maxAttempts: number;
  /** Time between copies (default 0: all at once). */
  readonly delayMs?: number;
  /** Status codes after which the remaining copies still run (default none). */
  readonly nonFatalCodes?: readonly (string | number)[];
}

/** Outlier detection (gRFC A50): replicas whose calls fail are ejected for a while. */
export interface OutlierDetectionOptions {
  /** How often replicas are judged (default 500 ms). */
  readonly intervalMs?: number;
  /** First ejection time, multiplied by the ejections in a row (default 5 000 ms). */
  readonly baseEjectionTimeMs?: number;
  /** Longest ejection (default 30 000 ms). */
  readonly maxEjectionTimeMs?: number;
  /** Most replicas ejected at once, in % (default 33: a fleet-wide overload never lands on few survivors). */
  readonly maxEjectionPercent?: number;
  /** Eject replicas failing more than `threshold` % of at least `requestVolume` calls (default 50 % of 10); `false` turns it off. */
  readonly failurePercentage?: OutlierEjectionOptions | false;
  /** Eject replicas whose success rate is `stdevFactor` deviations below the mean (off by default: needs 5+ replicas). */
  readonly successRate?: (OutlierEjectionOptions & { readonly stdevFactor?: number }) | false;
}

/** One ejection algorithm of {@link OutlierDetectionOptions}. */
export interface OutlierEjectionOptions {
  readonly threshold?: number;
  readonly enforcementPercentage?: number;
  readonly minimumHosts?: number;
  readonly requestVolume?: number;
}

/** Client keepalive: `fast` detects a frozen server in under 2 s; `compatible` suits any gRPC server. */
export type KeepaliveOptions = 'fast' | 'compatible' | { readonly timeMs: number; readonly timeoutMs?: number };

/** Plain-data options of a declared client (see the clients guide for defaults). */
export interface ClientDeclarationOptions {
  /** Default timeout of unary and client-streaming calls (default 30 000 ms). */
  readonly timeoutMs?: number;
  /** Default timeout of server- and bidi-streaming calls (default: none). */
  readonly streamTimeoutMs?: number;
  /** Wait for a connection (until the deadline) instead of failing fast with UNAVAILABLE. */
  readonly waitForReady?: boolean;
  /** Headers sent with every call. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Retry policy of every rpc of the service (off by default; idempotent rpcs only). */
  readonly retry?: RetryPolicyOptions;
  /** Per-rpc settings, keyed by proto rpc name. */
  readonly methods?: Readonly<Record<string, ClientMethodOptions>>;
  /** Load-balancing policy: a name (`round_robin`) or a config (`{ least_request: { choiceCount: 3 } }`); default `least_request`. */
  readonly loadBalancing?: string | Readonly<Record<string, unknown>>;
  /** Outlier detection around the policy (on by default); `false` turns it off. */
  readonly outlierDetection?: OutlierDetectionOptions | false;
  /** Keepalive pings (default `fast` for `kubernetes:///` targets, `compatible` otherwise). */
  readonly keepalive?: KeepaliveOptions;
  /** Every rpc is safe to run twice: retried on UNAVAILABLE by default. */
  readonly retryable?: boolean;
  /** The retry budget of the channel (default 100 tokens, 0.1 per success); `false` turns it off. */
  readonly retryThrottling?: { readonly maxTokens: number; readonly tokenRatio: number } | false;
  /** grpc-js channel options of this client's channel, over the framework's. */
  readonly channelOptions?: Readonly<Record<string, string | number>>;
  /** Inherit the incoming call's deadline, cancellation and headers (default true). */
  readonly propagate?: boolean;
  /** Incoming headers forwarded on outgoing calls (default `x-request-id`, `traceparent`; with tracing on, the propagator's headers replace forwarded ones). */
  readonly forwardHeaders?: readonly string[];
}

/** A client a module declares (see the clients guide). */
export interface ClientDeclaration {
  /** Fully-qualified service name, e.g. `helloworld.Greeter`. */
  readonly service: string;
  /** Default target, overridden by `KRPC_TARGET_<SERVICE>`. */
  readonly target?: string;
  /** Client options, interpreted by the client layer. */
  readonly options?: ClientDeclarationOptions;
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
