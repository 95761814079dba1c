import { Metadata } from '@grpc/grpc-js';
import { type CallScope, currentCallScope } from '../context/index.js';
import { RpcError, Status } from '../errors/index.js';
import type { ClientDeclarationOptions } from '../metadata/index.js';
import type { CallOptions } from './call-options.js';
import type { OutgoingCall } from './client-interceptor.js';
import type { ClientMethodInfo } from './client-observer.js';

/** Default timeout of unary and client-streaming calls without a deadline. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Incoming headers forwarded on outgoing calls by default. */
export const DEFAULT_FORWARD_HEADERS: readonly string[] = Object.freeze(['x-request-id', 'traceparent']);

/** An outgoing call ready to run, and how to let go of the signals it listens to. */
export interface PreparedCall {
  readonly call: OutgoingCall;
  dispose(): void;
}

function defaultTimeout(method: ClientMethodInfo, options: ClientDeclarationOptions): number | undefined {
  const perMethod = options.methods?.[method.rpcName]?.timeoutMs;
  if (perMethod !== undefined) return perMethod;
  const streaming = method.kind === 'server_stream' || method.kind === 'bidi_stream';
  return streaming ? options.streamTimeoutMs : (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

function deadlineOf(
  method: ClientMethodInfo,
  options: ClientDeclarationOptions,
  call: CallOptions,
  scope: CallScope | undefined,
): Date | undefined {
  const now = Date.now();
  const own: number[] = [];
  if (call.deadline !== undefined) own.push(call.deadline instanceof Date ? call.deadline.getTime() : call.deadline);
  if (call.timeoutMs !== undefined) own.push(now + call.timeoutMs);
  if (own.length === 0) {
    const fallback = defaultTimeout(method, options);
    if (fallback !== undefined) own.push(now + fallback);
  }
  if (scope?.deadline) own.push(scope.deadline.getTime());
  const earliest = Math.min(...own);
  return Number.isFinite(earliest) ? new Date(earliest) : undefined;
}

function metadataOf(options: ClientDeclarationOptions, call: CallOptions, scope: CallScope | undefined, waitForReady: boolean): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  if (scope) {
    for (const key of options.forwardHeaders ?? DEFAULT_FORWARD_HEADERS) {
      const values = scope.metadata.get(key);
      if (values.length === 0) continue;
      metadata.remove(key);
      for (const value of values) metadata.add(key, value);
    }
  }
  if (call.metadata instanceof Metadata) {
    for (const [key, value] of Object.entries(call.metadata.getMap())) metadata.set(key, value);
  } else if (call.metadata) {
    for (const [key, value] of Object.entries(call.metadata)) metadata.set(key, value);
  }
  if (waitForReady) metadata.setOptions({ waitForReady: true });
  return metadata;
}

function cancellation(from: 'caller' | 'incoming', reason: unknown): RpcError {
  if (from === 'caller') return new RpcError(Status.CANCELLED, "Call cancelled by the caller's AbortSignal", { cause: reason });
  const incoming = RpcError.is(reason) ? reason : undefined;
  const code = incoming?.code === Status.DEADLINE_EXCEEDED ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
  const why = incoming ? incoming.rawMessage : 'it was aborted';
  return new RpcError(code, `Call cancelled because the call being served ended: ${why}`, { cause: reason });
}

/**
 * Builds an outgoing call: its deadline (the earliest of the call's own, the client default
 * and the incoming call's), its headers (client defaults, forwarded incoming headers, then
 * the call's own) and a signal aborted by the caller's signal or the incoming call's.
 * `propagate: false` (per call or per client) ignores the incoming call.
 */
export function prepareCall(
  method: ClientMethodInfo,
  target: string,
  request: unknown,
  options: ClientDeclarationOptions,
  call: CallOptions,
): PreparedCall {
  const propagate = call.propagate ?? options.propagate ?? true;
  const scope = propagate ? currentCallScope() : undefined;
  const waitForReady = call.waitForReady ?? options.methods?.[method.rpcName]?.waitForReady ?? options.waitForReady ?? false;
  const controller = new AbortController();
  const listeners: [AbortSignal, () => void][] = [];
  const follow = (signal: AbortSignal | undefined, from: 'caller' | 'incoming') => {
    if (!signal) return;
    if (signal.aborted) {
      if (!controller.signal.aborted) controller.abort(cancellation(from, signal.reason));
      return;
    }
    const listener = () => controller.abort(cancellation(from, signal.reason));
    signal.addEventListener('abort', listener, { once: true });
    listeners.push([signal, listener]);
  };
  follow(call.signal, 'caller');
  follow(scope?.signal, 'incoming');
  return {
    call: {
      method,
      target,
      metadata: metadataOf(options, call, scope, waitForReady),
      deadline: deadlineOf(method, options, call, scope),
      signal: controller.signal,
      request,
    },
    dispose: () => {
      for (const [signal, listener] of listeners) signal.removeEventListener('abort', listener);
      listeners.length = 0;
    },
  };
}
