import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import {
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import type {
  ClientMethodInfo,
  ClientMethodObserver,
  ClientMethodTracer,
  ClientSpan,
  ClientTracer,
  TracedClientCall,
} from '../client/index.js';
import { Status, statusName } from '../errors/index.js';
import { MessageCounter } from './message-counter.js';
import { metadataSetter } from './metadata-carrier.js';
import { ATTR_RPC_GRPC_STATUS_CODE, ATTR_RPC_METHOD, ATTR_RPC_SERVICE, ATTR_RPC_SYSTEM, hostAndPort } from './rpc-attributes.js';

/** The span of one outgoing call on OpenTelemetry. */
class OutgoingSpan implements ClientSpan {
  private counter: MessageCounter | undefined;
  private ended = false;

  constructor(
    private readonly span: Span,
    private readonly spanContext: Context,
    private readonly call: TracedClientCall,
  ) {}

  event(name: string, attributes?: Readonly<Record<string, string | number | boolean>>): void {
    if (!this.ended) this.span.addEvent(name, attributes);
  }

  observe(observer: ClientMethodObserver): ClientMethodObserver {
    this.counter ??= new MessageCounter();
    return this.counter.wrap(observer);
  }

  wire<T>(send: () => T): T {
    // grpc-js is called with tracing suppressed: instrumentation-grpc, when loaded, adds no second client span
    return context.with(suppressTracing(this.spanContext), send);
  }

  end(code: Status, error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const { span } = this;
    const peer = this.call.peer();
    if (peer) {
      const { host, port } = hostAndPort(peer);
      span.setAttribute(ATTR_NETWORK_PEER_ADDRESS, host);
      if (port !== undefined) span.setAttribute(ATTR_NETWORK_PEER_PORT, port);
    }
    span.setAttribute(ATTR_RPC_GRPC_STATUS_CODE, code);
    this.counter?.record(span);
    if (code !== Status.OK) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : statusName(code) });
    }
    span.end();
  }
}

class OutgoingMethodTracer implements ClientMethodTracer {
  private readonly name: string;
  private readonly attributes: Attributes;

  constructor(
    private readonly tracer: Tracer,
    method: ClientMethodInfo,
    target: string,
  ) {
    this.name = `${method.service}/${method.rpcName}`;
    const { host, port } = hostAndPort(target);
    this.attributes = {
      [ATTR_RPC_SYSTEM]: 'grpc',
      [ATTR_RPC_SERVICE]: method.service,
      [ATTR_RPC_METHOD]: method.rpcName,
      [ATTR_SERVER_ADDRESS]: host,
      ...(port === undefined ? {} : { [ATTR_SERVER_PORT]: port }),
    };
  }

  start(call: TracedClientCall, scopeContext: unknown): ClientSpan {
    let parent = context.active();
    // the call scope carries the served call's context where the context manager does not (or none is registered)
    if (trace.getSpan(parent) === undefined && scopeContext !== undefined) parent = scopeContext as Context;
    const span = this.tracer.startSpan(this.name, { kind: SpanKind.CLIENT, attributes: this.attributes }, parent);
    const spanContext = trace.setSpan(parent, span);
    // the propagator's own headers replace whatever the incoming call forwarded
    for (const field of propagation.fields()) call.metadata.remove(field);
    propagation.inject(spanContext, call.metadata, metadataSetter);
    if (call.deadlineClamped && call.deadline) {
      span.addEvent('krpc.deadline_clamped', { 'krpc.deadline_remaining_ms': Math.max(0, call.deadline.getTime() - Date.now()) });
    }
    return new OutgoingSpan(span, spanContext, call);
  }
}

/**
 * The client side of the framework's tracing: a CLIENT span per outgoing call, a child of the active
 * context (the call being served), with the global propagator's headers injected into the call.
 */
export function createClientTracer(tracer: Tracer): ClientTracer {
  return { forMethod: (method, target) => new OutgoingMethodTracer(tracer, method, target) };
}
