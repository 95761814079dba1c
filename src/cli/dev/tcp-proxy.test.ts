import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenProxy, type TcpProxy } from './tcp-proxy.js';

/** A loopback server that answers each write with `name:text`. */
async function echo(name: string): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (d) => socket.write(`${name}:${d.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

function ask(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (d) => resolve(d.toString()));
    socket.write(text);
  });
}

describe('listenProxy', () => {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('sends new connections to the current upstream while open ones stay with theirs', async () => {
    const [a, b] = [await echo('a'), await echo('b')];
    const proxy: TcpProxy = await listenProxy('127.0.0.1', 0);
    closers.push(
      () => proxy.close(),
      () => a.server.close(),
      () => b.server.close(),
    );
    proxy.switchTo(a.port);
    const first = connect({ host: '127.0.0.1', port: proxy.port });
    closers.push(() => first.destroy());
    expect(await ask(first, 'x')).toBe('a:x');
    proxy.switchTo(b.port);
    const second = connect({ host: '127.0.0.1', port: proxy.port });
    closers.push(() => second.destroy());
    expect(await ask(second, 'y')).toBe('b:y');
    expect(await ask(first, 'z')).toBe('a:z');
  });

  it('closes the client side when the upstream goes away, and frees its port on close', async () => {
    const a = await echo('a');
    const proxy = await listenProxy('127.0.0.1', 0);
    proxy.switchTo(a.port);
    const client = connect({ host: '127.0.0.1', port: proxy.port });
    expect(await ask(client, 'x')).toBe('a:x');
    const closed = new Promise((resolve) => client.once('close', resolve));
    for (const socket of a.sockets) socket.destroy();
    a.server.close();
    await closed;
    await proxy.close();
    const again = await listenProxy('127.0.0.1', proxy.port);
    await again.close();
  });
});
