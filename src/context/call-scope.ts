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

const storage = new AsyncLocalStorage<CallScope>();

/**
 * Whether the scope follows calls across `await`s (AsyncLocalStorage), the default. On Node 20 the
 * first `storage.run` turns on async hooks for the whole process, and every promise and async
 * resource then pays an init hook: about 10% of a unary call's server CPU under load
 * (docs/performance.md). `KRPC_CALL_SCOPE=sync` trades that for a scope seen only during the
 * synchronous part of each handler and interceptor: `RpcContext.current()` and client propagation
 * then see the call until its first `await`, and nothing after it.
 */
let followAwaits = process.env.KRPC_CALL_SCOPE !== 'sync';
/** With `KRPC_CALL_SCOPE=sync`: the scope of the handler whose synchronous part is running. */
let syncScope: CallScope | undefined;

/**
 * Chooses how the call scope follows a call: `async` (AsyncLocalStorage, the default) or `sync`
 * (see above). Call it once at start-up, before the first call is served; `krpc-app start` does,
 * from the `callScope` setting.
 */
export function configureCallScope(mode: 'async' | 'sync'): void {
  followAwaits = mode === 'async';
}

/** Whether the call scope follows calls across `await`s (false with `KRPC_CALL_SCOPE=sync`). */
export function callScopeFollowsAwaits(): boolean {
  return followAwaits;
}

/** The scope of the call being served by the current async chain, if any. */
export function currentCallScope(): CallScope | undefined {
  return followAwaits ? storage.getStore() : syncScope;
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
