import type { Socket } from 'node:net';

/** The HTTP/2 client connection preface (RFC 9113 §3.4). */
const PREFACE_LENGTH = 24;

/**
 * Holds a new plaintext connection until its client has sent the 24-byte HTTP/2 preface, then
 * hands it on with those bytes put back; a connection that has not sent them within `timeoutMs`
 * is destroyed. No HTTP/2 session exists before that, so a slowloris connection costs one socket
 * and one timer, and never lingers.
 *
 * @param onReady receives the socket, paused, with what it sent unread
 */
export function gatePreface(socket: Socket, timeoutMs: number, onReady: (socket: Socket) => void): void {
  const chunks: Buffer[] = [];
  let length = 0;
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  const stop = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', stop);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
    if (length < PREFACE_LENGTH) return;
    stop();
    socket.pause();
    socket.unshift(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
    onReady(socket);
  };
  // Errors after the hand-over are http2's to handle; before it, a reset peer is just gone.
  socket.on('error', () => socket.destroy());
  socket.on('data', onData);
  socket.on('close', stop);
}
