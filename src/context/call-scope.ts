import { AsyncLocalStorage } from 'node:async_hooks';
import type { Metadata } from '@grpc/grpc-js';

/**
 * What an incoming call lends to the calls made while serving it: its deadline, its
 * cancellation and its metadata. The server's call context is one; client proxies read the
 * current one to propagate deadlines, cancellation and headers.
 */
export interface CallScope {
  /** The incoming call's deadline, if it has one. */
  readonly deadline: Date | undefined;
  /** Fires when the incoming call is cancelled, times out or the server shuts down. */
  readonly signal: AbortSignal;
  /** The incoming metadata. */
  readonly metadata: Metadata;
  /** The incoming call's span when tracing is on: its `context` (opaque here) parents outgoing calls. */
  readonly span?: { readonly context: unknown } | undefined;
}

/**
 * How one app's calls carry their scope, decided per app (`callScope`): `'async'` follows the call
 * across `await`s (AsyncLocalStorage); `'sync'` holds only during the synchronous part of each
 * handler and interceptor, for apps that need nothing more and should not pay for async hooks.
 */
export type ScopeMode = 'async' | 'sync';

const storage = new AsyncLocalStorage<CallScope>();
/** The scope of the `'sync'` handler whose synchronous part is running. */
let syncScope: CallScope | undefined;
/** Whether a `'sync'` app has served a call in this process (then a missing scope may be a read after an await). */
let syncInUse = false;
let warned = false;

/** Runs `fn(arg)` with `scope` as the current call scope, the way `mode` says (the argument spares a closure per call). */
export function runInCallScope<A, T>(mode: ScopeMode, scope: CallScope, fn: (arg: A) => T, arg: A): T {
  if (mode === 'async') return storage.run(scope, fn, arg);
  syncInUse = true;
  const previous = syncScope;
  syncScope = scope;
  try {
    return fn(arg);
  } finally {
    syncScope = previous;
  }
}

/** The scope of the call being served by the running code, if any. */
export function currentCallScope(): CallScope | undefined {
  return syncScope ?? storage.getStore();
}

/**
 * Like {@link currentCallScope}, for user code (`RpcContext.current()`): the first time it finds
 * no scope while an app in the process keeps its scope synchronous, it emits a process warning
 * saying why and how to turn the scope on, since the likely cause is a read after an `await`.
 */
export function currentCallScopeForUser(): CallScope | undefined {
  const scope = currentCallScope();
  if (scope === undefined && syncInUse && !warned) {
    warned = true;
    process.emitWarning(
      'RpcContext.current() found no call. An app of this process keeps its call scope synchronous (callScope "auto" ' +
        'in an app without clients, or "sync"), so it is seen only until the first await of a handler or interceptor. ' +
        'Set callScope: "async" (KRPC_CALL_SCOPE=async) to read it after awaits, or use the handler\'s ctx argument. Shown once.',
      { code: 'KRPC_CALL_SCOPE' },
    );
  }
  return scope;
}
