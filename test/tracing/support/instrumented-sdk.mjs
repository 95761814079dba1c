// Preloaded with `node --import` into a krpc-app child: the app's own OpenTelemetry SDK, registered
// before krpc-app starts, with @opentelemetry/instrumentation-grpc, exporting OTLP/http to
// TEST_OTLP_URL as TEST_SERVICE_NAME. What a user who wires instrumentation-grpc by hand has.

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': process.env.TEST_SERVICE_NAME }),
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${process.env.TEST_OTLP_URL}/v1/traces` }), { scheduledDelayMillis: 50 }),
  ],
});
provider.register();
registerInstrumentations({ instrumentations: [new GrpcInstrumentation()] });
process.once('exit', () => {});
