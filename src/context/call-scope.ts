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

/** The scope of the call being served by the current async chain, if any. */
export function currentCallScope(): CallScope | undefined {
  return storage.getStore();
}

/** Runs `fn(arg)` with `scope` as the current call scope (the argument spares callers a closure per call). */
export function runInCallScope<A, T>(scope: CallScope, fn: (arg: A) => T, arg: A): T {
  return storage.run(scope, fn, arg);
}
