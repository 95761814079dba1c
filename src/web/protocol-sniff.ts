import type { Socket } from 'node:net';

/** The first bytes of the HTTP/2 connection preface (`PRI * HTTP/2.0`); no HTTP/1 method starts so. */
const H2_PREFIX = Buffer.from('PRI');

/**
 * Reads a new connection's first bytes to tell HTTP/2 with prior knowledge (h2c) from HTTP/1.1,
 * then hands the socket on, paused, with those bytes put back. A connection that sends nothing
 * within `timeoutMs` is destroyed, so an idle connection never reaches either server.
 */
export function sniffProtocol(socket: Socket, timeoutMs: number, onReady: (socket: Socket, http2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  const stop = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', stop);
  };
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    if (seen.length < H2_PREFIX.length && H2_PREFIX.subarray(0, seen.length).equals(seen)) return;
    stop();
    socket.pause();
    socket.unshift(seen);
    onReady(socket, seen.subarray(0, H2_PREFIX.length).equals(H2_PREFIX));
  };
  socket.on('error', () => socket.destroy());
  socket.on('data', onData);
  socket.on('close', stop);
}
