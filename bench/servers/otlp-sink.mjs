// A local OTLP/HTTP protobuf receiver for the tracing bench: accepts POST /v1/traces, decodes each
// export request to count its spans (the OTLP subset in test/tracing/support), answers 200, and
// reports its counts at GET /stats. Prints {"port": N} once it listens.
import { createServer } from 'node:http';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { root } from '../lib.mjs';

const Request = protobuf
  .loadSync(join(root, 'test/tracing/support/otlp-trace.proto'))
  .lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const stats = { requests: 0, bytes: 0, spans: 0 };

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const decoded = Request.decode(body);
    stats.requests++;
    stats.bytes += body.length;
    for (const rs of decoded.resourceSpans) for (const ss of rs.scopeSpans) stats.spans += ss.spans.length;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
