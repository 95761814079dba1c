import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { RpcError, Status, statusName } from '../errors/index.js';
import type {
  CallSpan,
  ListenAddress,
  MethodInfo,
  MethodObserver,
  MethodTracer,
  ServerTracer,
  SpanAttributes,
  TracedServerCall,
} from '../server/index.js';
import { MessageCounter } from './message-counter.js';
import { metadataGetter } from './metadata-carrier.js';
import {
  ATTR_RPC_GRPC_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  hostAndPort,
  isServerError,
} from './rpc-attributes.js';

/** The span of one incoming call on OpenTelemetry. */
class ServerSpan implements CallSpan {
  private counter: MessageCounter | undefined;

  /** `owned`: the framework started the span and ends it (not when an instrumentation's span is reused). */
  constructor(
    private readonly span: Span,
    readonly context: Context,
    private readonly owned: boolean,
  ) {}

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  get spanId(): string {
    return this.span.spanContext().spanId;
  }

  event(name: string, attributes?: SpanAttributes): void {
    this.span.addEvent(name, attributes);
  }

  observe(observer: MethodObserver): MethodObserver {
    this.counter ??= new MessageCounter();
    return this.counter.wrap(observer);
  }

  end(code: Status, error?: unknown): void {
    const { span } = this;
    span.setAttribute(ATTR_RPC_GRPC_STATUS_CODE, code);
    this.counter?.record(span);
    if (isServerError(code)) span.setStatus({ code: SpanStatusCode.ERROR, message: statusName(code) });
    if (error !== undefined && (code === Status.INTERNAL || code === Status.UNKNOWN)) recordException(span, error);
    if (this.owned) span.end();
  }
}

/** The fault behind an error: an RpcError's cause when it has one. */
function recordException(span: Span, error: unknown): void {
  const fault = RpcError.is(error) && error.cause !== undefined ? error.cause : error;
  span.recordException(fault instanceof Error ? fault : String(fault));
}

class ServerMethodTracer implements MethodTracer {
  private readonly name: string;
  private readonly service: string;
  private readonly rpcName: string;

  constructor(
    private readonly tracer: Tracer,
    method: MethodInfo,
    private readonly address: () => ListenAddress | undefined,
  ) {
    this.name = `${method.service}/${method.rpcName}`;
    this.service = method.service;
    this.rpcName = method.rpcName;
  }

  trace(call: TracedServerCall, body: () => void): void {
    const attributes = this.attributesOf(call);
    const active = context.active();
    const existing = trace.getSpan(active);
    if (existing && isSpanContextValid(existing.spanContext())) {
      // an instrumentation (instrumentation-grpc) wraps grpc-js handlers and has a server span already
      existing.setAttributes(attributes);
      call.span = new ServerSpan(existing, active, false);
      body();
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, call.metadata, metadataGetter);
    const span = this.tracer.startSpan(this.name, { kind: SpanKind.SERVER, attributes }, parent);
    const spanContext = trace.setSpan(parent, span);
    call.span = new ServerSpan(span, spanContext, true);
    context.with(spanContext, body);
  }

  /** One object of one shape per call: the method's attributes, the listening address and the peer. */
  private attributesOf(call: TracedServerCall): Attributes {
    const listening = this.address();
    const peer = hostAndPort(call.peer);
    return {
      [ATTR_RPC_SYSTEM]: 'grpc',
      [ATTR_RPC_SERVICE]: this.service,
      [ATTR_RPC_METHOD]: this.rpcName,
      [ATTR_SERVER_ADDRESS]: listening?.host,
      [ATTR_SERVER_PORT]: listening?.port,
      [ATTR_NETWORK_PEER_ADDRESS]: peer.host,
      [ATTR_NETWORK_PEER_PORT]: peer.port,
    };
  }
}

/**
 * The server side of the framework's tracing: a SERVER span per call, named `package.Service/Method`
 * with the RPC conventions' attributes, parented to the caller's context as the global propagator
 * extracts it, and active (through the global context manager) while the call runs.
 */
export function createServerTracer(tracer: Tracer): ServerTracer {
  let address: ListenAddress | undefined;
  return {
    forMethod: (method) => new ServerMethodTracer(tracer, method, () => address),
    listening(listening) {
      address = listening;
    },
  };
}
