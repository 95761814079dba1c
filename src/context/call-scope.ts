import { AsyncLocalStorage } from 'node:async_hooks';
import type { Metadata } from '@grpc/grpc-js';

/**
 * What an incoming call lends to the calls made while serving it: its deadline, its
 * cancellation and its metadata. The server's `RpcContext` is one; client proxies read the
 * current one to propagate deadlines, cancellation and headers.
 */
export interface CallScope {
  /** The incoming call's deadline, if it has one. */
  readonly deadline: Date | undefined;
  /** Fires when the incoming call is cancelled, times out or the server shuts down. */
  readonly signal: AbortSignal;
  /** The incoming metadata. */
  readonly metadata: Metadata;
}

/**
 * How the call scope follows a call (the `callScope` setting, `KRPC_CALL_SCOPE`):
 *
 * - `async`: across `await`s, through AsyncLocalStorage. On Node 20 the first `storage.run`
 *   turns on async hooks for the whole process, and every promise and async resource then pays
 *   an init hook: 10–25% of a unary call's server throughput under load (docs/performance.md).
 * - `sync`: only during the synchronous part of each handler and interceptor: `RpcContext.current()`
 *   and client propagation see the call until its first `await`, and nothing after it.
 * - `auto` (the default): `sync` until something that needs the scope after `await`s appears,
 *   then `async` for good. Client proxies need it (an outgoing call made after an `await` must
 *   still inherit the deadline and cancellation), so an app that declares clients gets `async`;
 *   an app without clients does not pay for it.
 */
export type CallScopeMode = 'auto' | 'async' | 'sync';

const storage = new AsyncLocalStorage<CallScope>();

let mode: CallScopeMode = parseMode(process.env.KRPC_CALL_SCOPE);
/** Whether something (client proxies) needs the scope after `await`s; turns `auto` into `async`. */
let required = false;
let followAwaits = resolve();
/** With the scope not following awaits: the scope of the handler whose synchronous part is running. */
let syncScope: CallScope | undefined;
let warned = false;

function parseMode(value: string | undefined): CallScopeMode {
  return value === 'async' || value === 'sync' ? value : 'auto';
}

function resolve(): boolean {
  return mode === 'async' || (mode === 'auto' && required);
}

/**
 * Chooses how the call scope follows a call (see {@link CallScopeMode}). Call it once at
 * start-up, before the first call is served; `krpc-app start` does, from the `callScope` setting.
 */
export function configureCallScope(next: CallScopeMode): void {
  mode = next;
  followAwaits = resolve();
}

/**
 * Declares that something relies on the call scope after `await`s: in `auto` mode the scope
 * follows awaits from now on (the client layer calls it when an app has clients). Calls whose
 * handler is already past its first `await` keep the scope they had.
 */
export function requireCallScopeAcrossAwaits(): void {
  required = true;
  followAwaits = resolve();
}

/** The scope of the call being served by the current async chain, if any. */
export function currentCallScope(): CallScope | undefined {
  return followAwaits ? storage.getStore() : syncScope;
}

/**
 * Like {@link currentCallScope}, for user code (`RpcContext.current()`): the first time it finds
 * no scope while `auto` keeps the scope synchronous, it emits a process warning saying why and how
 * to turn the scope on, since the likely cause is a read after an `await`.
 */
export function currentCallScopeForUser(): CallScope | undefined {
  const scope = currentCallScope();
  if (scope === undefined && !followAwaits && mode === 'auto' && !warned) {
    warned = true;
    process.emitWarning(
      'RpcContext.current() found no call. The call scope is synchronous (callScope "auto" and the app declares no ' +
        'clients), so it is seen only until the first await of a handler or interceptor. Set callScope: "async" ' +
        "(KRPC_CALL_SCOPE=async) to read it after awaits, or use the handler's ctx argument. Shown once.",
      { code: 'KRPC_CALL_SCOPE' },
    );
  }
  return scope;
}

/** Runs `fn(arg)` with `scope` as the current call scope (the argument spares callers a closure per call). */
export function runInCallScope<A, T>(scope: CallScope, fn: (arg: A) => T, arg: A): T {
  if (followAwaits) return storage.run(scope, fn, arg);
  const previous = syncScope;
  syncScope = scope;
  try {
    return fn(arg);
  } finally {
    syncScope = previous;
  }
}
