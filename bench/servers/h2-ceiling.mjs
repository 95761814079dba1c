// The ceiling: a bare node:http2 server that answers every request with one fixed gRPC reply
// (HelloReply{message:"Hello world"}, grpc-status 0) without decoding anything. Nothing in Node
// answers gRPC faster; it is what Node's HTTP/2 costs per call. Prints {"port":N}.
// Usage: node bench/servers/h2-ceiling.mjs [port]
import http2 from 'node:http2';

const text = Buffer.from('Hello world');
const message = Buffer.concat([Buffer.from([0x0a, text.length]), text]);
const frame = Buffer.alloc(5 + message.length);
frame.writeUInt32BE(message.length, 1);
message.copy(frame, 5);
const HEADERS = { ':status': 200, 'content-type': 'application/grpc' };
const TRAILERS = { 'grpc-status': '0' };

const server = http2.createServer();
server.on('stream', (stream) => {
  stream.on('data', () => {});
  stream.on('end', () => {
    stream.respond(HEADERS, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(TRAILERS));
    stream.end(frame);
  });
  stream.on('error', () => {});
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
