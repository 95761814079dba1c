// The baseline relay of the fault bench: helloworld.Greeter on bare @grpc/grpc-js, relaying
// SayHello to a downstream helloworld.Greeter the way the grpc-js examples would — one channel
// with round_robin (BARE_RELAY_LB picks another registered policy), the incoming call as parent
// (deadline and cancellation propagate), x-request-id forwarded, the downstream status passed
// back unchanged. Same env as samples/relay: KRPC_TARGET_HELLOWORLD_GREETER, KRPC_HOST,
// KRPC_PORT. grpc-js has no kubernetes:/// resolver, so for such a target it registers the
// framework's (the only framework code it runs). Prints {"port":N} once bound.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = process.env.KRPC_TARGET_HELLOWORLD_GREETER ?? '127.0.0.1:50051';
const policy = process.env.BARE_RELAY_LB ?? 'round_robin';
if (target.startsWith('kubernetes:')) {
  const { registerKubernetesResolver } = await import('kubernetes-rpc/kubernetes');
  registerKubernetesResolver();
}
const definition = protoLoader.loadSync(join(root, 'samples/relay/proto/helloworld.proto'));
const { helloworld } = grpc.loadPackageDefinition(definition);
const downstream = new helloworld.Greeter(target, grpc.credentials.createInsecure(), {
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ [policy]: {} }] }),
});

const relay = (method) => (call, callback) => {
  const metadata = new grpc.Metadata();
  for (const value of call.metadata.get('x-request-id')) metadata.add('x-request-id', value);
  downstream[method]({ name: call.request.name }, metadata, { parent: call }, (error, reply) => {
    if (error) callback({ code: error.code, details: error.details, metadata: new grpc.Metadata() });
    else callback(null, { message: `relayed: ${reply.message}` });
  });
};

const server = new grpc.Server();
server.addService(helloworld.Greeter.service, { SayHello: relay('SayHello'), SayHelloAgain: relay('SayHelloAgain') });
const host = process.env.KRPC_HOST ?? '127.0.0.1';
server.bindAsync(`${host}:${process.env.KRPC_PORT ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
