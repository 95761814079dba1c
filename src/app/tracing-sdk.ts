import { isSpanContextValid, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { ClientTracer } from '../client/index.js';
import type { ServerTracer } from '../server/index.js';
import { createClientTracer, createServerTracer, traceLogFields } from '../tracing/index.js';
import type { SamplerName, TracingSettings } from '../tracing/tracing-settings.js';

/** Tracing as an app runs it: the framework's tracers on the global API, and the SDK it set up, if it did. */
export interface TracingRuntime {
  readonly server: ServerTracer;
  readonly client: ClientTracer;
  /** `trace_id`/`span_id` of the active span, for every log line (pino `mixin`). */
  readonly logFields: () => Record<string, string>;
  /** False when the app registered its own SDK before start-up: the framework then only uses it. */
  readonly ownSdk: boolean;
  /** One line saying where spans go, for the start-up log. */
  readonly summary: string;
  /** Flushes and stops the SDK the framework set up (nothing for the app's own). */
  shutdown(): Promise<void>;
}

/** Who the app is, for the resource. */
export interface TracedApp {
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function samplerFor(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function processorsFor(settings: TracingSettings): SpanProcessor[] {
  return settings.exporters.map((name) => {
    if (name === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
    const url = settings.url === undefined ? {} : { url: settings.url };
    // the exporters read the other OTEL_EXPORTER_OTLP_* variables (headers, timeout, compression) themselves
    const exporter: SpanExporter = settings.protocol === 'grpc' ? new GrpcTraceExporter(url) : new ProtobufTraceExporter(url);
    return new BatchSpanProcessor(exporter);
  });
}

/** The resource: service name and version, the pod from the downward API, then OTEL_RESOURCE_ATTRIBUTES over them. */
function resourceFor(settings: TracingSettings, app: TracedApp) {
  const attributes: Record<string, string> = {
    ...settings.resourceAttributes,
    [ATTR_SERVICE_NAME]: settings.serviceName ?? app.serviceName,
  };
  if (app.serviceVersion) attributes[ATTR_SERVICE_VERSION] = app.serviceVersion;
  if (app.env.POD_NAME) attributes['k8s.pod.name'] = app.env.POD_NAME;
  if (app.env.POD_NAMESPACE) attributes['k8s.namespace.name'] = app.env.POD_NAMESPACE;
  if (app.env.NODE_NAME) attributes['k8s.node.name'] = app.env.NODE_NAME;
  return defaultResource()
    .merge(resourceFromAttributes(attributes))
    .merge(detectResources({ detectors: [envDetector] }));
}

/** Whether an SDK is registered already: a span from the global API then has a real context. */
function sdkRegistered(): boolean {
  // never ended, so never exported
  return isSpanContextValid(trace.getTracer('kubernetes-rpc').startSpan('krpc.sdk-probe').spanContext());
}

/**
 * Sets up the OpenTelemetry Node SDK the way the settings say (exporters in batches, sampler,
 * propagators, resource) and registers it globally, unless the app registered its own first.
 */
export function startTracingSdk(settings: TracingSettings, app: TracedApp): TracingRuntime {
  let provider: NodeTracerProvider | undefined;
  if (!sdkRegistered()) {
    provider = new NodeTracerProvider({
      resource: resourceFor(settings, app),
      sampler: samplerFor(settings.sampler, settings.ratio),
      spanProcessors: processorsFor(settings),
    });
    const propagators = settings.propagators.map((name) =>
      name === 'baggage' ? new W3CBaggagePropagator() : new W3CTraceContextPropagator(),
    );
    provider.register({ propagator: new CompositePropagator({ propagators }) });
  }
  const tracer = trace.getTracer('kubernetes-rpc');
  return {
    server: createServerTracer(tracer),
    client: createClientTracer(tracer),
    logFields: traceLogFields,
    ownSdk: provider === undefined,
    summary: provider
      ? `Tracing on: ${settings.exporters.map((e) => (e === 'otlp' ? `OTLP ${settings.protocol} to ${settings.url ?? 'the default localhost endpoint'}` : e)).join(', ')}, sampler ${settings.sampler}`
      : 'Tracing on through the OpenTelemetry SDK the app registered itself',
    shutdown: async () => {
      await provider?.shutdown();
    },
  };
}
