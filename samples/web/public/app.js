// The greeter called from the browser with typed clients: `Greeter` is generated from
// samples/greeter/proto/helloworld.proto by protoc-gen-es (generate.mjs), and the transports are
// @connectrpc/connect-web's. The web port is `?api=http://host:port` (default: this page's origin).
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import { Greeter } from './gen/helloworld_pb.js';

/** A typed Greeter client over one of the three transports. */
export function greeter(baseUrl, kind) {
  const transport =
    kind === 'grpc-web'
      ? createGrpcWebTransport({ baseUrl })
      : createConnectTransport({ baseUrl, useBinaryFormat: kind === 'connect-binary', useHttpGet: true });
  return createClient(Greeter, transport);
}

/** What a call ended with, as plain data: the replies, or the error's code name and message. */
async function outcome(run) {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const e = ConnectError.from(error);
    return { ok: false, code: Code[e.code], message: e.rawMessage };
  }
}

/** Unary, server streaming and an error status over each transport (what the browser test checks). */
export async function checks(baseUrl) {
  const results = {};
  for (const kind of ['connect-json', 'connect-binary', 'grpc-web']) {
    const client = greeter(baseUrl, kind);
    results[kind] = {
      unary: await outcome(async () => (await client.sayHello({ name: kind })).message),
      stream: await outcome(async () => {
        const replies = [];
        for await (const reply of client.sayHelloStreamReply({ name: kind })) replies.push(reply.message);
        return replies;
      }),
      error: await outcome(async () => (await client.sayHello({ name: '' })).message),
    };
  }
  return results;
}

const api = new URL(location.href).searchParams.get('api') ?? location.origin;
document.getElementById('greet').addEventListener('submit', async (event) => {
  event.preventDefault();
  const client = greeter(api, document.getElementById('transport').value);
  const result = await outcome(async () => (await client.sayHello({ name: document.getElementById('name').value })).message);
  document.getElementById('out').textContent = JSON.stringify(result, null, 2);
});
window.greeterChecks = checks;
