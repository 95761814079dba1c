import { connect, createServer, type Server, type Socket } from 'node:net';

/** A port that forwards each new connection to the current upstream; see {@link listenProxy}. */
export interface TcpProxy {
  readonly port: number;
  /** Where connections accepted from now on go; connections already open stay with their upstream. */
  switchTo(upstreamPort: number): void;
  /** Stops accepting and destroys every open connection. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` and pipes each connection to `127.0.0.1:<upstream>`. `krpc-app dev` keeps
 * the app's address here while app processes come and go on free ports: a restarted process gets
 * the new connections, and the old one's GOAWAY moves its clients over (no two processes share a port).
 */
export function listenProxy(host: string, port: number): Promise<TcpProxy> {
  let upstream: number | undefined;
  const open = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (downstream) => {
    if (upstream === undefined) {
      downstream.destroy();
      return;
    }
    const up = connect({ host: '127.0.0.1', port: upstream, noDelay: true });
    open.add(downstream).add(up);
    const closeBoth = () => {
      downstream.destroy();
      up.destroy();
      open.delete(downstream);
      open.delete(up);
    };
    downstream.on('error', closeBoth).on('close', closeBoth);
    up.on('error', closeBoth).on('close', closeBoth);
    downstream.pipe(up);
    up.pipe(downstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        switchTo: (next) => {
          upstream = next;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of open) socket.destroy();
          }),
      });
    });
  });
}
