import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server, ServerCredentials } from '@grpc/grpc-js';
import { gatePreface } from './preface-gate.js';

/** A port the framework listens on itself and hands connections to grpc-js from. */
export interface GatedListener {
  readonly port: number;
  /** Stops accepting; the connections handed on are grpc-js's to drain (`tryShutdown`). */
  close(): void;
  /** Destroys the connections still held before their preface. */
  destroyPending(): void;
}

/**
 * Listens with a `net` server whose connections reach grpc-js (through its public
 * `createConnectionInjector`) only once they sent the HTTP/2 preface within
 * `handshakeTimeoutMs` (see {@link gatePreface}). Plaintext only: under TLS the preface is
 * encrypted, and grpc-js's own listener is used.
 */
export function listenGated(
  server: Server,
  options: { host: string; port: number; credentials: ServerCredentials; handshakeTimeoutMs: number },
): Promise<GatedListener> {
  const injector = server.createConnectionInjector(options.credentials);
  const pending = new Set<Socket>();
  const listener: NetServer = createServer({ noDelay: true }, (socket) => {
    pending.add(socket);
    socket.once('close', () => pending.delete(socket));
    gatePreface(socket, options.handshakeTimeoutMs, (ready) => {
      pending.delete(ready);
      injector.injectConnection(ready);
    });
  });
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ host: options.host, port: options.port }, () => {
      listener.off('error', reject);
      const address = listener.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        close: () => listener.close(),
        destroyPending: () => {
          for (const socket of pending) socket.destroy();
        },
      });
    });
  });
}
