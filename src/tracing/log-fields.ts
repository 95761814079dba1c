import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The `trace_id`, `span_id` and `trace_flags` of the active span, for a log line (pino's `mixin`):
 * every line written inside a traced call, the framework's and the application's, leads to its trace.
 */
export function traceLogFields(): Record<string, string> {
  // a fresh object each time: pino merges the line's fields into it
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  const { traceId, spanId, traceFlags } = spanContext;
  return { trace_id: traceId, span_id: spanId, trace_flags: traceFlags.toString(16).padStart(2, '0') };
}
